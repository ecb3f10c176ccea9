// service/campaign_service.cc — campaign set-up, nomination rules, lifecycle, rater links,
// invitations, reminders and progress.
#include "service/campaign_service.h"

#include <sodium.h>

#include <algorithm>
#include <chrono>
#include <ctime>
#include <map>
#include <set>
#include <utility>

#include "analytics/spc_date.h"
#include "core/ids.h"

namespace trellis::service {
namespace {

using model::CampaignState;
using model::Nomination;
using model::NominationStatus;
using model::RaterGroup;

std::string Quoted(std::string_view s) { return "'" + std::string(s) + "'"; }

// sodium_init is idempotent and thread-safe; it must run before randombytes_buf.
void EnsureSodium() {
  static const int kInit = sodium_init();
  (void)kInit;
}

std::string FormatTime(std::chrono::system_clock::time_point tp) {
  const std::time_t t = std::chrono::system_clock::to_time_t(tp);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

// Parses "2026-01-01T09:30:00Z"; nullopt if malformed.
std::optional<std::chrono::system_clock::time_point> ParseTime(const std::string& s) {
  std::tm tm{};
  const char* end = strptime(s.c_str(), "%Y-%m-%dT%H:%M:%SZ", &tm);
  if (end == nullptr || *end != '\0') return std::nullopt;
  return std::chrono::system_clock::from_time_t(timegm(&tm));
}

bool LooksLikeEmail(const std::string& s) {
  const size_t at = s.find('@');
  return at != std::string::npos && at > 0 && at + 1 < s.size() &&
         s.find('@', at + 1) == std::string::npos &&
         s.find_first_of(" \t\r\n,;<>") == std::string::npos;
}

std::string CsvField(const std::string& s) {
  if (s.find_first_of(",\"\r\n") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

std::string Plural(size_t n, std::string_view one, std::string_view many) {
  return std::to_string(n) + " " + std::string(n == 1 ? one : many);
}

// "peer for subject 'ada'": a nomination in the audit log, by group and subject id (no names
// or emails: the log names records, not personal values).
std::string NominationSummary(const Nomination& n) {
  return std::string(model::RaterGroupName(n.group)) + " rater for subject " +
         Quoted(n.subject_id) +
         (n.rater_person_id.empty() ? " (external rater)"
                                    : " (person " + Quoted(n.rater_person_id) + ")");
}

std::string InvitationText(const Invitation& inv, const model::Campaign& campaign) {
  std::string text = "Hello " + inv.rater_name + ",\n\n";
  if (inv.group == RaterGroup::kSelf) {
    text += "As part of " + campaign.name +
            ", you are invited to assess yourself against the partnership's management "
            "competencies.\n\n";
  } else {
    text += "As part of " + campaign.name + ", you are invited to give feedback on " +
            inv.subject_name + ".\n\n";
  }
  text +=
      "Answer the questionnaire here (the link is personal to you; please do not forward "
      "it):\n" +
      inv.link + "\n\nThe questionnaire closes on " + campaign.closes_on + ". " +
      PrivacyStatement(inv.group, inv.subject_name, campaign.min_group) + "\n\nThank you.\n";
  return text;
}

}  // namespace

std::string NewRaterToken() {
  EnsureSodium();
  unsigned char bytes[16];
  randombytes_buf(bytes, sizeof bytes);
  char b64[sodium_base64_ENCODED_LEN(16, sodium_base64_VARIANT_URLSAFE_NO_PADDING)];
  sodium_bin2base64(b64, sizeof b64, bytes, sizeof bytes, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  return b64;
}

std::string HashRaterToken(std::string_view token) {
  EnsureSodium();
  unsigned char hash[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(hash, reinterpret_cast<const unsigned char*>(token.data()), token.size());
  char hex[crypto_hash_sha256_BYTES * 2 + 1];
  sodium_bin2hex(hex, sizeof hex, hash, sizeof hash);
  return hex;
}

std::string PrivacyStatement(RaterGroup group, std::string_view subject_name, int min_group) {
  const std::string subject(subject_name);
  switch (group) {
    case RaterGroup::kSelf:
      return "Your answers are your self-assessment: your report shows them as your own view, "
             "beside the views of the people who rate you.";
    case RaterGroup::kManager:
      return "As " + subject +
             "'s line manager, your answers are not anonymous: the report shows the line "
             "manager's view as its own group, so " +
             subject + " will know it is yours.";
    default:
      return "Your answers are anonymous: " + subject +
             "'s report never shows your name, and shows answers only when they are combined "
             "with those of at least " +
             std::to_string(min_group) +
             " raters; comments are shown without names, under such a group, in no particular "
             "order.";
  }
}

CampaignService::CampaignService(storage::Store& frameworks, storage::CampaignStore& campaigns,
                                 storage::DirectoryStore& audit, Mailer* mailer, Options options)
    : frameworks_(frameworks),
      campaigns_(campaigns),
      audit_(audit),
      mailer_(mailer),
      options_(std::move(options)) {}

std::string CampaignService::Now() const {
  return FormatTime(options_.now ? options_.now() : std::chrono::system_clock::now());
}

Status CampaignService::Record(std::string_view partnership_id, std::string_view actor,
                               std::string_view action, std::string_view entity_type,
                               std::string_view entity_id, std::string detail) {
  storage::AuditEntry e;
  e.id = NewId("aud");
  e.partnership_id = std::string(partnership_id);
  e.at = Now();
  e.actor = std::string(actor);
  e.action = std::string(action);
  e.entity_type = std::string(entity_type);
  e.entity_id = std::string(entity_id);
  e.detail = std::move(detail);
  return audit_.AppendAudit(e);
}

// --- setting up ---

Result<model::Campaign> CampaignService::Create(const CampaignSpec& spec, std::string_view actor) {
  if (spec.name.empty()) return Status::InvalidArgument("field 'name': a campaign needs a name");
  if (!analytics::ParseIsoDate(spec.opens_on)) {
    return Status::InvalidArgument("field 'opens_on': " + Quoted(spec.opens_on) +
                                   " is not a date YYYY-MM-DD");
  }
  if (!analytics::ParseIsoDate(spec.closes_on)) {
    return Status::InvalidArgument("field 'closes_on': " + Quoted(spec.closes_on) +
                                   " is not a date YYYY-MM-DD");
  }
  if (spec.closes_on < spec.opens_on) {
    return Status::InvalidArgument("field 'closes_on': " + spec.closes_on +
                                   " is before the opening date " + spec.opens_on);
  }
  if (spec.min_group < 2) {
    return Status::InvalidArgument("field 'min_group': " + std::to_string(spec.min_group) +
                                   " is below 2; anonymous answers need at least 2 raters");
  }
  Result<storage::StoredFramework> framework =
      frameworks_.GetFramework(spec.framework_code, spec.framework_version);
  if (!framework.ok()) return framework.status();
  std::optional<int> context_version;
  if (spec.context_check) {
    Result<storage::StoredFramework> context =
        frameworks_.GetFramework("context-check", std::nullopt);
    if (!context.ok()) {
      if (context.status().code() != StatusCode::kNotFound) return context.status();
      return Status::FailedPrecondition(
          "the context-check framework is not stored: import frameworks/context-check.json, or "
          "create the campaign without the context check");
    }
    // Pinned: a context check imported later does not change this campaign's questions.
    context_version = context->framework.version;
  }
  // Subjects are checked before anything is written, so a wrong id leaves no campaign behind.
  Result<std::vector<model::Person>> subjects =
      campaigns_.GetPeople(spec.partnership_id, spec.subject_ids);
  if (!subjects.ok()) return subjects.status();

  model::Campaign c;
  c.id = NewId("cmp");
  c.partnership_id = spec.partnership_id;
  c.name = spec.name;
  c.framework_code = spec.framework_code;
  c.framework_version = framework->framework.version;
  c.opens_on = spec.opens_on;
  c.closes_on = spec.closes_on;
  c.min_group = spec.min_group;
  c.context_check = spec.context_check;
  c.context_check_version = context_version;
  c.state = CampaignState::kDraft;
  c.created_at = Now();
  TRELLIS_RETURN_IF_ERROR(campaigns_.CreateCampaign(c));
  TRELLIS_RETURN_IF_ERROR(Record(
      c.partnership_id, actor, "campaign.created", "campaign", c.id,
      "campaign " + Quoted(c.name) + " on " + c.framework_code + " version " +
          std::to_string(c.framework_version) +
          (context_version ? ", context check version " + std::to_string(*context_version)
                           : std::string(", no context check")) +
          ", " + c.opens_on + " to " + c.closes_on + ", min_group " + std::to_string(c.min_group)));
  if (!spec.subject_ids.empty())
    TRELLIS_RETURN_IF_ERROR(AddSubjects(c.partnership_id, c.id, spec.subject_ids, actor));
  return campaigns_.GetCampaign(c.partnership_id, c.id);
}

Result<model::Campaign> CampaignService::Get(std::string_view partnership_id,
                                             std::string_view campaign_id) {
  return campaigns_.GetCampaign(partnership_id, campaign_id);
}

Result<std::vector<model::Campaign>> CampaignService::List(std::string_view partnership_id) {
  return campaigns_.ListCampaigns(partnership_id);
}

Result<std::vector<model::Campaign>> CampaignService::ListForSubject(
    std::string_view partnership_id, std::string_view person_id) {
  Result<std::vector<model::Campaign>> all = campaigns_.ListCampaigns(partnership_id);
  if (!all.ok()) return all.status();
  std::vector<model::Campaign> out;
  for (model::Campaign& c : *all) {
    if (std::find(c.subject_ids.begin(), c.subject_ids.end(), person_id) != c.subject_ids.end())
      out.push_back(std::move(c));
  }
  return out;
}

Status CampaignService::AddSubjects(std::string_view partnership_id, std::string_view campaign_id,
                                    const std::vector<std::string>& person_ids,
                                    std::string_view actor) {
  Result<model::Campaign> campaign = campaigns_.GetCampaign(partnership_id, campaign_id);
  if (!campaign.ok()) return campaign.status();
  if (campaign->state == CampaignState::kClosed || campaign->state == CampaignState::kReleased)
    return Status::FailedPrecondition("the campaign is closed; subjects can no longer be added");
  Result<std::vector<model::Person>> people = campaigns_.GetPeople(partnership_id, person_ids);
  if (!people.ok()) return people.status();
  TRELLIS_RETURN_IF_ERROR(campaigns_.AddSubjects(partnership_id, campaign_id, person_ids));
  // Each new subject rates themself: a self nomination, approved from the start.
  const std::set<std::string> existing(campaign->subject_ids.begin(), campaign->subject_ids.end());
  std::vector<Nomination> selves;
  std::set<std::string> seen;
  for (const model::Person& p : *people) {
    if (existing.contains(p.id) || !seen.insert(p.id).second) continue;
    Nomination n;
    n.id = NewId("nom");
    n.campaign_id = std::string(campaign_id);
    n.subject_id = p.id;
    n.rater_person_id = p.id;
    n.rater_name = p.name;
    n.rater_email = p.email;
    n.group = RaterGroup::kSelf;
    n.status = NominationStatus::kApproved;
    selves.push_back(std::move(n));
  }
  if (selves.empty()) return Status::Ok();
  TRELLIS_RETURN_IF_ERROR(campaigns_.AddNominations(partnership_id, selves));
  std::string added;
  for (const Nomination& n : selves) added += (added.empty() ? "" : ", ") + Quoted(n.subject_id);
  return Record(partnership_id, actor, "campaign.subjects_added", "campaign", campaign_id,
                Plural(selves.size(), "subject", "subjects") + " added (each with a self " +
                    "nomination): " + added);
}

Status CampaignService::RemoveSubject(std::string_view partnership_id, std::string_view campaign_id,
                                      std::string_view person_id, std::string_view actor) {
  Result<model::Campaign> campaign = campaigns_.GetCampaign(partnership_id, campaign_id);
  if (!campaign.ok()) return campaign.status();
  if (campaign->state == CampaignState::kClosed || campaign->state == CampaignState::kReleased)
    return Status::FailedPrecondition("the campaign is closed; its subjects can no longer change");
  TRELLIS_RETURN_IF_ERROR(campaigns_.RemoveSubject(partnership_id, campaign_id, person_id));
  return Record(partnership_id, actor, "campaign.subject_removed", "campaign", campaign_id,
                "subject " + Quoted(person_id) + " removed with their nominations");
}

// --- nominations ---

Result<std::vector<Nomination>> CampaignService::AddRaters(std::string_view partnership_id,
                                                           std::string_view campaign_id,
                                                           const std::vector<RaterSpec>& raters,
                                                           NominationStatus status,
                                                           std::string_view actor) {
  Result<model::Campaign> campaign = campaigns_.GetCampaign(partnership_id, campaign_id);
  if (!campaign.ok()) return campaign.status();
  if (campaign->state == CampaignState::kClosed || campaign->state == CampaignState::kReleased)
    return Status::FailedPrecondition("the campaign is closed; raters can no longer be nominated");
  const std::set<std::string> subjects(campaign->subject_ids.begin(), campaign->subject_ids.end());
  // Managers already nominated (and not declined) per subject, plus those in this call.
  std::map<std::string, int> managers;
  std::vector<Nomination> out;
  for (const RaterSpec& r : raters) {
    const std::string who = r.rater_person_id.empty()
                                ? (r.rater_name.empty() ? Quoted(r.rater_email) : r.rater_name)
                                : Quoted(r.rater_person_id);
    if (!subjects.contains(r.subject_id))
      return Status::NotFound(Quoted(r.subject_id) + " is not a subject of this campaign");
    if (r.group == RaterGroup::kSelf || r.rater_person_id == r.subject_id) {
      return Status::InvalidArgument(
          "rater " + who +
          ": a subject rates themself through the self nomination made with the subject; "
          "'self' cannot be nominated, and the subject cannot rate themself in another group");
    }
    Nomination n;
    n.id = NewId("nom");
    n.campaign_id = std::string(campaign_id);
    n.subject_id = r.subject_id;
    n.rater_person_id = r.rater_person_id;
    n.group = r.group;
    n.status = status;
    if (!r.rater_person_id.empty()) {
      Result<std::vector<model::Person>> person =
          campaigns_.GetPeople(partnership_id, {r.rater_person_id});
      if (!person.ok()) return person.status();
      n.rater_name = person->front().name;
      n.rater_email = person->front().email;
    } else {
      if (r.rater_name.empty())
        return Status::InvalidArgument("rater " + who + ": field 'name' is empty");
      if (!LooksLikeEmail(r.rater_email)) {
        return Status::InvalidArgument("rater " + who + ": field 'email': " +
                                       Quoted(r.rater_email) + " is not an email address");
      }
      n.rater_name = r.rater_name;
      n.rater_email = r.rater_email;
    }
    if (r.group == RaterGroup::kManager) {
      auto [it, fresh] = managers.emplace(r.subject_id, 0);
      if (fresh) {
        Result<std::vector<Nomination>> existing =
            campaigns_.ListNominationsForSubject(partnership_id, campaign_id, r.subject_id);
        if (!existing.ok()) return existing.status();
        for (const Nomination& e : *existing)
          if (e.group == RaterGroup::kManager && e.status != NominationStatus::kDeclined)
            ++it->second;
      }
      if (++it->second > 1) {
        return Status::InvalidArgument("rater " + n.rater_name +
                                       ": this subject already has a line manager nominated; "
                                       "a subject has at most one");
      }
    }
    out.push_back(std::move(n));
  }
  // The store refuses a rater already nominated for the subject (same email or person), which
  // keeps one group per rater per subject.
  TRELLIS_RETURN_IF_ERROR(campaigns_.AddNominations(partnership_id, out));
  const bool proposed = status == NominationStatus::kProposed;
  for (const Nomination& n : out) {
    TRELLIS_RETURN_IF_ERROR(Record(partnership_id, actor,
                                   proposed ? "nomination.proposed" : "nomination.added",
                                   "nomination", n.id,
                                   NominationSummary(n) + (proposed ? " proposed" : " nominated") +
                                       " in campaign " + Quoted(campaign->name)));
  }
  for (Nomination& n : out) {
    std::string lower = n.rater_email;
    for (char& ch : lower)
      if (ch >= 'A' && ch <= 'Z') ch = static_cast<char>(ch - 'A' + 'a');
    n.rater_email = lower;
  }
  return out;
}

Result<std::vector<Nomination>> CampaignService::Nominate(std::string_view partnership_id,
                                                          std::string_view campaign_id,
                                                          const std::vector<RaterSpec>& raters,
                                                          std::string_view actor) {
  return AddRaters(partnership_id, campaign_id, raters, NominationStatus::kApproved, actor);
}

Result<std::vector<Nomination>> CampaignService::Propose(std::string_view partnership_id,
                                                         std::string_view campaign_id,
                                                         std::string_view subject_id,
                                                         const std::vector<RaterSpec>& raters,
                                                         std::string_view actor) {
  for (const RaterSpec& r : raters) {
    if (r.subject_id != subject_id)
      return Status::InvalidArgument("a subject proposes raters for themself only");
  }
  return AddRaters(partnership_id, campaign_id, raters, NominationStatus::kProposed, actor);
}

Result<std::vector<Nomination>> CampaignService::SubjectProposals(std::string_view partnership_id,
                                                                  std::string_view campaign_id,
                                                                  std::string_view subject_id) {
  Result<model::Campaign> campaign = campaigns_.GetCampaign(partnership_id, campaign_id);
  if (!campaign.ok()) return campaign.status();
  if (std::find(campaign->subject_ids.begin(), campaign->subject_ids.end(), subject_id) ==
      campaign->subject_ids.end())
    return Status::NotFound(Quoted(subject_id) + " is not a subject of this campaign");
  Result<std::vector<Nomination>> all =
      campaigns_.ListNominationsForSubject(partnership_id, campaign_id, subject_id);
  if (!all.ok()) return all.status();
  std::vector<Nomination> out;
  for (Nomination& n : *all) {
    if (n.proposed_by_subject && n.status != NominationStatus::kApproved)
      out.push_back(std::move(n));
  }
  return out;
}

Result<Nomination> CampaignService::NominationIn(std::string_view partnership_id,
                                                 std::string_view campaign_id,
                                                 std::string_view nomination_id) {
  Result<Nomination> n = campaigns_.GetNomination(partnership_id, nomination_id);
  if (!n.ok()) return n.status();
  // The same message as an unknown id: a nomination of another campaign is not in this one.
  if (n->campaign_id != campaign_id)
    return Status::NotFound("no nomination '" + std::string(nomination_id) + "' in this campaign");
  return n;
}

Status CampaignService::Approve(std::string_view partnership_id, std::string_view campaign_id,
                                std::string_view nomination_id, std::string_view actor) {
  Result<Nomination> n = NominationIn(partnership_id, campaign_id, nomination_id);
  if (!n.ok()) return n.status();
  if (n->status == NominationStatus::kApproved) return Status::Ok();
  if (n->group == RaterGroup::kManager) {
    Result<std::vector<Nomination>> others =
        campaigns_.ListNominationsForSubject(partnership_id, n->campaign_id, n->subject_id);
    if (!others.ok()) return others.status();
    for (const Nomination& o : *others) {
      if (o.id != n->id && o.group == RaterGroup::kManager &&
          o.status == NominationStatus::kApproved) {
        return Status::FailedPrecondition(
            "this subject already has an approved line manager; decline that nomination first");
      }
    }
  }
  TRELLIS_RETURN_IF_ERROR(
      campaigns_.SetNominationStatus(partnership_id, nomination_id, NominationStatus::kApproved));
  return Record(partnership_id, actor, "nomination.approved", "nomination", nomination_id,
                NominationSummary(*n) + " approved (was " +
                    std::string(model::NominationStatusName(n->status)) + ")");
}

Status CampaignService::Decline(std::string_view partnership_id, std::string_view campaign_id,
                                std::string_view nomination_id, std::string_view actor) {
  Result<Nomination> n = NominationIn(partnership_id, campaign_id, nomination_id);
  if (!n.ok()) return n.status();
  if (n->group == RaterGroup::kSelf)
    return Status::FailedPrecondition("a subject's self-assessment cannot be declined");
  if (!n->submitted_at.empty())
    return Status::FailedPrecondition("this rater has already submitted; the nomination stays");
  if (n->status == NominationStatus::kDeclined) return Status::Ok();
  TRELLIS_RETURN_IF_ERROR(
      campaigns_.SetNominationStatus(partnership_id, nomination_id, NominationStatus::kDeclined));
  return Record(partnership_id, actor, "nomination.declined", "nomination", nomination_id,
                NominationSummary(*n) + " declined (was " +
                    std::string(model::NominationStatusName(n->status)) + ")");
}

Result<std::vector<Nomination>> CampaignService::Nominations(std::string_view partnership_id,
                                                             std::string_view campaign_id) {
  return campaigns_.ListNominations(partnership_id, campaign_id);
}

// --- lifecycle ---

Status CampaignService::Transition(std::string_view partnership_id, std::string_view campaign_id,
                                   CampaignState from, CampaignState to, std::string_view actor) {
  Result<model::Campaign> campaign = campaigns_.GetCampaign(partnership_id, campaign_id);
  if (!campaign.ok()) return campaign.status();
  if (campaign->state != from) {
    return Status::FailedPrecondition("campaign " + Quoted(campaign->name) + " is " +
                                      std::string(model::CampaignStateName(campaign->state)) +
                                      ", not " + std::string(model::CampaignStateName(from)) +
                                      "; it cannot become " +
                                      std::string(model::CampaignStateName(to)));
  }
  if (to == CampaignState::kOpen && campaign->subject_ids.empty())
    return Status::FailedPrecondition("campaign " + Quoted(campaign->name) + " has no subjects");
  TRELLIS_RETURN_IF_ERROR(
      campaigns_.UpdateCampaignState(partnership_id, campaign_id, from, to, Now()));
  const std::string to_name(model::CampaignStateName(to));
  const std::string action = to == CampaignState::kOpen     ? "campaign.opened"
                             : to == CampaignState::kClosed ? "campaign.closed"
                                                            : "campaign.released";
  return Record(partnership_id, actor, action, "campaign", campaign_id,
                "campaign " + Quoted(campaign->name) + " " +
                    std::string(model::CampaignStateName(from)) + " -> " + to_name);
}

Status CampaignService::Open(std::string_view partnership_id, std::string_view campaign_id,
                             std::string_view actor) {
  return Transition(partnership_id, campaign_id, CampaignState::kDraft, CampaignState::kOpen,
                    actor);
}
Status CampaignService::Close(std::string_view partnership_id, std::string_view campaign_id,
                              std::string_view actor) {
  return Transition(partnership_id, campaign_id, CampaignState::kOpen, CampaignState::kClosed,
                    actor);
}
Status CampaignService::Release(std::string_view partnership_id, std::string_view campaign_id,
                                std::string_view actor) {
  TRELLIS_RETURN_IF_ERROR(Transition(partnership_id, campaign_id, CampaignState::kClosed,
                                     CampaignState::kReleased, actor));
  if (release_listener_) release_listener_(partnership_id, campaign_id);
  return Status::Ok();
}

// --- invitations and reminders ---

Status CampaignService::RequireOpen(const model::Campaign& campaign) const {
  if (campaign.state != CampaignState::kOpen) {
    return Status::FailedPrecondition("campaign " + Quoted(campaign.name) + " is " +
                                      std::string(model::CampaignStateName(campaign.state)) +
                                      "; links are sent only while it is open");
  }
  return Status::Ok();
}

Result<Invitation> CampaignService::IssueLink(std::string_view partnership_id, const Nomination& n,
                                              const std::string& subject_name) {
  const std::string token = NewRaterToken();
  TRELLIS_RETURN_IF_ERROR(campaigns_.SetTokenHash(partnership_id, n.id, HashRaterToken(token)));
  return Invitation{n.id,         n.rater_name, n.rater_email,
                    subject_name, n.group,      options_.base_url + "/r/" + token};
}

namespace {

// Subject id → name for a campaign.
Result<std::map<std::string, std::string>> SubjectNames(storage::CampaignStore& store,
                                                        std::string_view partnership_id,
                                                        std::string_view campaign_id) {
  Result<std::vector<model::Person>> subjects = store.ListSubjects(partnership_id, campaign_id);
  if (!subjects.ok()) return subjects.status();
  std::map<std::string, std::string> names;
  for (const model::Person& p : *subjects) names[p.id] = p.name;
  return names;
}

}  // namespace

Result<MailRun> CampaignService::SendInvitations(std::string_view partnership_id,
                                                 std::string_view campaign_id,
                                                 std::string_view actor) {
  if (mailer_ == nullptr) {
    return Status::FailedPrecondition(
        "no mail server is configured; configure SMTP or export the invitations as CSV");
  }
  Result<model::Campaign> campaign = campaigns_.GetCampaign(partnership_id, campaign_id);
  if (!campaign.ok()) return campaign.status();
  TRELLIS_RETURN_IF_ERROR(RequireOpen(*campaign));
  Result<std::map<std::string, std::string>> names =
      SubjectNames(campaigns_, partnership_id, campaign_id);
  if (!names.ok()) return names.status();
  Result<std::vector<Nomination>> nominations =
      campaigns_.ListNominations(partnership_id, campaign_id);
  if (!nominations.ok()) return nominations.status();
  MailRun run;
  for (const Nomination& n : *nominations) {
    if (n.status != NominationStatus::kApproved || !n.invited_at.empty()) continue;
    Result<Invitation> inv = IssueLink(partnership_id, n, (*names)[n.subject_id]);
    if (!inv.ok()) return inv.status();
    const std::string subject = n.group == RaterGroup::kSelf
                                    ? campaign->name + ": your self-assessment"
                                    : campaign->name + ": feedback on " + inv->subject_name;
    Status sent = mailer_->Send(n.rater_email, subject, InvitationText(*inv, *campaign));
    if (!sent.ok()) {
      run.failed.emplace_back(n.id, sent);
      continue;
    }
    TRELLIS_RETURN_IF_ERROR(campaigns_.MarkInvited(partnership_id, n.id, Now()));
    ++run.sent;
  }
  if (run.sent > 0 || !run.failed.empty()) {
    TRELLIS_RETURN_IF_ERROR(
        Record(partnership_id, actor, "campaign.invitations_sent", "campaign", campaign_id,
               Plural(run.sent, "invitation", "invitations") + " emailed; " +
                   std::to_string(run.failed.size()) + " not accepted by the mail server"));
  }
  return run;
}

Result<std::vector<Invitation>> CampaignService::ExportInvitations(std::string_view partnership_id,
                                                                   std::string_view campaign_id,
                                                                   std::string_view actor) {
  Result<model::Campaign> campaign = campaigns_.GetCampaign(partnership_id, campaign_id);
  if (!campaign.ok()) return campaign.status();
  TRELLIS_RETURN_IF_ERROR(RequireOpen(*campaign));
  Result<std::map<std::string, std::string>> names =
      SubjectNames(campaigns_, partnership_id, campaign_id);
  if (!names.ok()) return names.status();
  Result<std::vector<Nomination>> nominations =
      campaigns_.ListNominations(partnership_id, campaign_id);
  if (!nominations.ok()) return nominations.status();
  std::vector<Invitation> out;
  for (const Nomination& n : *nominations) {
    if (n.status != NominationStatus::kApproved || !n.invited_at.empty()) continue;
    Result<Invitation> inv = IssueLink(partnership_id, n, (*names)[n.subject_id]);
    if (!inv.ok()) return inv.status();
    TRELLIS_RETURN_IF_ERROR(campaigns_.MarkInvited(partnership_id, n.id, Now()));
    out.push_back(std::move(*inv));
  }
  if (!out.empty()) {
    TRELLIS_RETURN_IF_ERROR(Record(partnership_id, actor, "campaign.invitations_exported",
                                   "campaign", campaign_id,
                                   Plural(out.size(), "invitation link", "invitation links") +
                                       " exported as CSV for a mail merge"));
  }
  return out;
}

std::string CampaignService::InvitationsCsv(const std::vector<Invitation>& invitations) {
  std::string out = "name,email,subject name,group,link\r\n";
  for (const Invitation& inv : invitations) {
    out += CsvField(inv.rater_name) + "," + CsvField(inv.rater_email) + "," +
           CsvField(inv.subject_name) + "," + std::string(model::RaterGroupName(inv.group)) + "," +
           CsvField(inv.link) + "\r\n";
  }
  return out;
}

Result<MailRun> CampaignService::SendReminders(std::string_view partnership_id,
                                               std::string_view campaign_id, int quiet_days,
                                               std::string_view actor) {
  if (quiet_days < 0) return Status::InvalidArgument("quiet_days must be ≥ 0");
  if (mailer_ == nullptr) {
    return Status::FailedPrecondition(
        "no mail server is configured; configure SMTP to send reminders");
  }
  Result<model::Campaign> campaign = campaigns_.GetCampaign(partnership_id, campaign_id);
  if (!campaign.ok()) return campaign.status();
  TRELLIS_RETURN_IF_ERROR(RequireOpen(*campaign));
  Result<std::map<std::string, std::string>> names =
      SubjectNames(campaigns_, partnership_id, campaign_id);
  if (!names.ok()) return names.status();
  Result<std::vector<Nomination>> nominations =
      campaigns_.ListNominations(partnership_id, campaign_id);
  if (!nominations.ok()) return nominations.status();
  const auto now = options_.now ? options_.now() : std::chrono::system_clock::now();
  const auto cutoff = now - std::chrono::hours(24) * quiet_days;
  MailRun run;
  for (const Nomination& n : *nominations) {
    if (n.status != NominationStatus::kApproved || n.invited_at.empty() || !n.submitted_at.empty())
      continue;
    const std::string& last = n.reminded_at.empty() ? n.invited_at : n.reminded_at;
    std::optional<std::chrono::system_clock::time_point> last_time = ParseTime(last);
    if (last_time && *last_time > cutoff) continue;
    Result<Invitation> inv = IssueLink(partnership_id, n, (*names)[n.subject_id]);
    if (!inv.ok()) return inv.status();
    std::string text =
        "This is a reminder: your answers have not been submitted yet. This new "
        "link replaces the one sent before; anything you saved is kept.\n\n" +
        InvitationText(*inv, *campaign);
    Status sent = mailer_->Send(n.rater_email, "Reminder: " + campaign->name, text);
    if (!sent.ok()) {
      run.failed.emplace_back(n.id, sent);
      continue;
    }
    TRELLIS_RETURN_IF_ERROR(campaigns_.MarkReminded(partnership_id, n.id, Now()));
    ++run.sent;
  }
  if (run.sent > 0 || !run.failed.empty()) {
    TRELLIS_RETURN_IF_ERROR(
        Record(partnership_id, actor, "campaign.reminders_sent", "campaign", campaign_id,
               Plural(run.sent, "reminder", "reminders") + " emailed with new links (quiet days " +
                   std::to_string(quiet_days) + "); " + std::to_string(run.failed.size()) +
                   " not accepted by the mail server"));
  }
  return run;
}

Result<Invitation> CampaignService::ReissueLink(std::string_view partnership_id,
                                                std::string_view nomination_id,
                                                std::string_view actor) {
  Result<Nomination> n = campaigns_.GetNomination(partnership_id, nomination_id);
  if (!n.ok()) return n.status();
  Result<model::Campaign> campaign = campaigns_.GetCampaign(partnership_id, n->campaign_id);
  if (!campaign.ok()) return campaign.status();
  TRELLIS_RETURN_IF_ERROR(RequireOpen(*campaign));
  if (n->status != NominationStatus::kApproved)
    return Status::FailedPrecondition("only an approved nomination gets a link");
  Result<std::vector<model::Person>> subject =
      campaigns_.GetPeople(partnership_id, {n->subject_id});
  Result<Invitation> inv = IssueLink(partnership_id, *n, subject.ok() ? subject->front().name : "");
  if (!inv.ok()) return inv.status();
  if (n->invited_at.empty())
    TRELLIS_RETURN_IF_ERROR(campaigns_.MarkInvited(partnership_id, n->id, Now()));
  TRELLIS_RETURN_IF_ERROR(Record(
      partnership_id, actor, "nomination.link_reissued", "nomination", n->id,
      "new link issued for the " + NominationSummary(*n) + "; the previous link no longer works"));
  return inv;
}

// --- progress ---

namespace {

void Add(Counts& to, int nominated, int invited, int submitted) {
  to.nominated += nominated;
  to.invited += invited;
  to.submitted += submitted;
}

Counts& GroupSlot(std::vector<std::pair<RaterGroup, Counts>>& groups, RaterGroup g) {
  for (auto& [group, counts] : groups)
    if (group == g) return counts;
  groups.emplace_back(g, Counts{});
  std::sort(groups.begin(), groups.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
  for (auto& [group, counts] : groups)
    if (group == g) return counts;
  return groups.back().second;  // unreachable
}

}  // namespace

Result<ProgressReport> CampaignService::Progress(std::string_view partnership_id,
                                                 std::string_view campaign_id) {
  Result<storage::CampaignProgress> progress = campaigns_.Progress(partnership_id, campaign_id);
  if (!progress.ok()) return progress.status();
  Result<std::vector<model::Person>> subjects =
      campaigns_.ListSubjects(partnership_id, campaign_id);
  if (!subjects.ok()) return subjects.status();
  ProgressReport report;
  std::map<std::string, size_t> index;
  for (const model::Person& p : *subjects) {
    index[p.id] = report.by_subject.size();
    report.by_subject.push_back({p.id, p.name, p.organisation_id, {}, {}});
  }
  for (const storage::GroupProgress& g : progress->by_subject_group) {
    auto it = index.find(g.subject_id);
    if (it == index.end()) continue;
    SubjectRates& s = report.by_subject[it->second];
    Add(s.total, g.nominated, g.invited, g.submitted);
    Add(GroupSlot(s.by_group, g.group), g.nominated, g.invited, g.submitted);
    Add(GroupSlot(report.by_group, g.group), g.nominated, g.invited, g.submitted);
    Add(report.total, g.nominated, g.invited, g.submitted);
  }
  for (const storage::OrganisationProgress& o : progress->by_organisation)
    report.by_organisation.emplace_back(o.organisation_id,
                                        Counts{o.nominated, o.invited, o.submitted});
  return report;
}

Result<OrganisationProgressReport> CampaignService::ProgressByOrganisation(
    std::string_view partnership_id, std::string_view campaign_id) {
  Result<std::vector<storage::OrganisationProgress>> by_organisation =
      campaigns_.ProgressByOrganisation(partnership_id, campaign_id);
  if (!by_organisation.ok()) return by_organisation.status();
  // Every approved nomination is of a campaign subject, a person with an organisation (foreign
  // keys), so the sum over organisations is what Progress totals over subjects.
  OrganisationProgressReport report;
  for (const storage::OrganisationProgress& o : *by_organisation) {
    Add(report.total, o.nominated, o.invited, o.submitted);
    report.by_organisation.emplace_back(o.organisation_id,
                                        Counts{o.nominated, o.invited, o.submitted});
  }
  return report;
}

Result<std::vector<NonResponder>> CampaignService::NonResponders(std::string_view partnership_id,
                                                                 std::string_view campaign_id) {
  Result<std::map<std::string, std::string>> names =
      SubjectNames(campaigns_, partnership_id, campaign_id);
  if (!names.ok()) return names.status();
  Result<std::vector<Nomination>> nominations =
      campaigns_.ListNominations(partnership_id, campaign_id);
  if (!nominations.ok()) return nominations.status();
  std::vector<NonResponder> out;
  for (const Nomination& n : *nominations) {
    if (n.status != NominationStatus::kApproved || n.invited_at.empty() || !n.submitted_at.empty())
      continue;
    out.push_back({n.id, n.rater_name, n.rater_email, (*names)[n.subject_id], n.group, n.invited_at,
                   n.reminded_at});
  }
  return out;
}

Result<SubjectProgressView> CampaignService::SubjectProgress(std::string_view partnership_id,
                                                             std::string_view campaign_id,
                                                             std::string_view subject_id) {
  Result<model::Campaign> campaign = campaigns_.GetCampaign(partnership_id, campaign_id);
  if (!campaign.ok()) return campaign.status();
  if (std::find(campaign->subject_ids.begin(), campaign->subject_ids.end(), subject_id) ==
      campaign->subject_ids.end())
    return Status::NotFound(Quoted(subject_id) + " is not a subject of this campaign");
  Result<storage::CampaignProgress> progress = campaigns_.Progress(partnership_id, campaign_id);
  if (!progress.ok()) return progress.status();
  SubjectProgressView view;
  for (const storage::GroupProgress& g : progress->by_subject_group) {
    if (g.subject_id != subject_id) continue;
    Add(view.total, g.nominated, g.invited, g.submitted);
    Add(GroupSlot(view.by_group, g.group), g.nominated, g.invited, g.submitted);
  }
  return view;
}

}  // namespace trellis::service
