// model/campaign.h — a 360 assessment campaign: one framework version, a set of subjects, a
// window, min_group; nominations tie a rater to a subject with a group; a response holds one
// rater's answers (DESIGN.md "Concepts"). Plain value types; no I/O.
// Invariants: a nomination's group is kSelf exactly when the rater is the subject; a subject
// has at most one self nomination; a rater has one group per subject.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/ratings.h"

namespace trellis::model {

enum class CampaignState { kDraft, kOpen, kClosed, kReleased };
// Wire names: "draft", "open", "closed", "released".
std::string_view CampaignStateName(CampaignState state);
std::optional<CampaignState> ParseCampaignState(std::string_view text);
// Closed or released: the campaign's figures exist (built when it closes).
inline bool HasFigures(CampaignState state) {
  return state == CampaignState::kClosed || state == CampaignState::kReleased;
}

struct Campaign {
  std::string id;
  std::string partnership_id;
  std::string name;
  std::string framework_code;
  int framework_version = 0;
  std::string opens_on;       // ISO date, inclusive
  std::string closes_on;      // ISO date, inclusive
  int min_group = 3;          // DESIGN.md rule 3/4
  bool context_check = true;  // include the capacity / commitment / context items
  // The context-check framework version asked, pinned when the campaign is created; nullopt
  // without the context check (or for a campaign stored before pinning: the latest version).
  std::optional<int> context_check_version;
  CampaignState state = CampaignState::kDraft;
  std::vector<std::string> subject_ids;  // Person ids
  std::string created_at;                // RFC 3339
  std::string opened_at;                 // RFC 3339, empty until opened
  std::string closed_at;                 // RFC 3339, empty until closed
  std::string released_at;               // RFC 3339, empty until reports are released
};

enum class NominationStatus { kProposed, kApproved, kDeclined };
// Wire names: "proposed" (by the subject, awaiting an admin), "approved", "declined".
std::string_view NominationStatusName(NominationStatus status);
std::optional<NominationStatus> ParseNominationStatus(std::string_view text);

struct Nomination {
  std::string id;
  std::string campaign_id;
  std::string subject_id;       // Person id
  std::string rater_person_id;  // Person id, or empty for an external rater
  std::string rater_name;       // always set (copied from the Person, or typed)
  std::string rater_email;      // always set
  RaterGroup group = RaterGroup::kPeer;
  NominationStatus status = NominationStatus::kApproved;
  // True when the subject proposed this rater (set by the store from a kProposed status at
  // creation); the subject may see their own proposals, never an admin's nominations.
  bool proposed_by_subject = false;
  std::string invited_at;    // RFC 3339, empty until invited
  std::string reminded_at;   // last reminder, or empty
  std::string submitted_at;  // empty until the response is submitted
};

// One answer: an item code (of the campaign's framework, or of the context check) and a score
// on its scale, or nullopt for "not observed".
struct Answer {
  std::string item_code;
  std::optional<int> score;
};

struct Response {
  std::string nomination_id;
  std::vector<Answer> answers;
  std::vector<std::pair<std::string, std::string>> comments;  // domain code → comment text
  bool submitted = false;                                     // false: an autosaved draft
  std::string saved_at;
};

}  // namespace trellis::model
