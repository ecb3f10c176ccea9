// formats/framework_validate.h — internal to formats/: the framework invariants of
// model/framework.h as data, so each reader can word a problem in its own file's terms.
// FindFrameworkIssue finds the first broken invariant and says which node and which model field;
// a FrameworkLocator (one per format) turns that node into "f.csv:12" or "f.json: $.CFItems[3]"
// and the model field into the format's column or key. ValidateFramework (framework_io.h) is
// FindFrameworkIssue + the native-JSON locator. Pure functions; thread-safe.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "model/framework.h"

namespace trellis::formats {

// Which part of a framework an issue is about. Indices are positions in the model's vectors.
struct FrameworkNode {
  enum class Kind { kFramework, kScale, kDomain, kCompetency, kItem, kProfile, kCrosswalk };
  Kind kind = Kind::kFramework;
  size_t domain = 0;      // kDomain, kCompetency, kItem
  size_t competency = 0;  // kCompetency, kItem
  size_t item = 0;        // kItem
  size_t index = 0;       // kProfile, kCrosswalk: position in role_profiles / crosswalk
  std::string key;        // kProfile: the competency code of an expectation, or empty
};

struct FrameworkIssue {
  FrameworkNode node;
  std::string field;    // model field name: "code", "title", "text", "items", "min", "level" …
  std::string message;  // what is wrong, without location ("a competency needs at least one item")
  // For duplicates: the node that first used the value; the message then ends "(first …)".
  std::optional<FrameworkNode> first;
};

// Describes nodes in the words of one file format.
class FrameworkLocator {
 public:
  virtual ~FrameworkLocator() = default;
  // The message prefix for a node, e.g. "f.json: $.domains[1]" or "f.csv:12".
  virtual std::string Where(const FrameworkNode& node) const = 0;
  // A back-reference for "(first …)", e.g. "at $.domains[0]" or "on line 4".
  virtual std::string Reference(const FrameworkNode& node) const = 0;
  // The name of a model field as this format spells it (CSV: "item_code" for an item's "code").
  virtual std::string Field(const FrameworkNode& node, std::string_view model_field) const {
    (void)node;
    return std::string(model_field);
  }
};

// Paths into the native JSON layout ("$.domains[1].competencies[0]"), which mirrors the model;
// used by ValidateFramework and the native JSON reader.
class JsonPathLocator : public FrameworkLocator {
 public:
  explicit JsonPathLocator(std::string_view file_name) : file_(file_name) {}
  std::string Where(const FrameworkNode& node) const override;
  std::string Reference(const FrameworkNode& node) const override;
  // "$.domains[1].competencies[0]" — without the file name.
  static std::string Path(const FrameworkNode& node);

 private:
  std::string file_;
};

// `path` + ".key", or `path` + "[\"key\"]" when the key is not a plain identifier.
std::string AppendJsonKey(std::string_view path, std::string_view key);

// The first broken invariant, in document order (framework fields, scale, then each domain with
// its competencies and items, then role profiles, then crosswalk links); nullopt when valid.
std::optional<FrameworkIssue> FindFrameworkIssue(const model::Framework& framework);

// "WHERE: field 'F': MESSAGE[ (first REF)]".
std::string FormatIssue(const FrameworkIssue& issue, const FrameworkLocator& locator);

// The largest number of scale points accepted (a bound so writers never loop for ever).
inline constexpr int kMaxScalePoints = 101;

}  // namespace trellis::formats
