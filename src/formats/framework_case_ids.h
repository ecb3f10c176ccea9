// formats/framework_case_ids.h — internal to formats/: identifiers for CASE packages.
// Trellis identifiers are UUID v5 (RFC 9562, SHA-1 name-based, via libuuid) under a fixed Trellis
// namespace, over "FRAMEWORK_CODE|VERSION|NODE" where NODE is "document", "domain/CODE",
// "competency/CODE", "item/CODE", "isChildOf/<child node>", "scale", "scale/level/N",
// "crosswalk/…" — kinds are spelled out because a domain and a competency may share a code.
// Pure functions; thread-safe.
#pragma once

#include <string>
#include <string_view>

namespace trellis::formats {

// The namespace UUID of every Trellis identifier. Never change it: exports would change.
inline constexpr char kTrellisNamespaceUuid[] = "50c21664-ce44-41ad-83e4-0d358a9b5940";

// Lower-case UUID v5 of `name` under kTrellisNamespaceUuid.
std::string TrellisUuid(std::string_view name);
// TrellisUuid("CODE|VERSION|NODE").
std::string TrellisNodeId(std::string_view framework_code, int version, std::string_view node);
// "urn:uuid:" + identifier: a valid URI for nodes that have no web address.
std::string UrnFor(std::string_view identifier);
// True for the 8-4-4-4-12 hex form.
bool LooksLikeUuid(std::string_view text);
// A short stable code for a node without humanCodingScheme: the first 8 hex digits of its
// identifier when that is a UUID, else of TrellisUuid("code/" + identifier).
std::string ShortCodeFor(std::string_view identifier);

}  // namespace trellis::formats
