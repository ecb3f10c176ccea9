// web/subject_access_json.cc — see subject_access_json.h.
#include "web/subject_access_json.h"

#include <nlohmann/json.hpp>
#include <string>

#include "web/audit_json.h"
#include "web/report_json.h"

namespace trellis::web {
namespace {

using nlohmann::ordered_json;

// What the export leaves out on purpose, said in the file itself (docs/accounts.md).
const char* const kNotIncluded[] = {
    "Your answers as a rater: responses are anonymous and are stored without any link to you, so "
    "they cannot be given to you or to anyone else.",
    "The names, emails and answers of the people who rated you: your raters are counted per group "
    "only.",
    "Figures and comments built from fewer than min_group anonymous raters: they are withheld "
    "exactly as on the report page.",
    "Password hashes, sign-in sessions, CSRF tokens and rater link tokens: secrets, not "
    "information about you.",
    "Other people's data, such as the other subjects of a campaign.",
    "The details of audit-log entries about other people's records: where you acted on someone "
    "else's record (as an admin, say, nominating raters or changing an account), the entry "
    "shows only when you did what (seq, at, actor, action), not whose record it was or what "
    "changed, because those details can say who rates whom in an anonymous group."};

// "line_manager" / "coach": the role a plan was shared with (storage::ShareRoleName's words).
std::string RoleName(service::PlanAccess access) {
  return std::string(storage::ShareRoleName(access == service::PlanAccess::kLineManager
                                                ? storage::ShareRole::kLineManager
                                                : storage::ShareRole::kCoach));
}

ordered_json Counts(const service::Counts& c) {
  return {{"nominated", c.nominated}, {"invited", c.invited}, {"submitted", c.submitted}};
}

ordered_json Nullable(const std::string& text) {
  return text.empty() ? ordered_json(nullptr) : ordered_json(text);
}

ordered_json CampaignJson(const service::SubjectAccessCampaign& entry) {
  const model::Campaign& c = entry.campaign;
  ordered_json groups = ordered_json::object();
  for (const auto& [group, counts] : entry.raters.by_group)
    groups[std::string(model::RaterGroupName(group))] = Counts(counts);
  return {{"id", c.id},
          {"name", c.name},
          {"state", std::string(model::CampaignStateName(c.state))},
          {"framework", {{"code", c.framework_code}, {"version", c.framework_version}}},
          {"opens_on", c.opens_on},
          {"closes_on", c.closes_on},
          {"min_group", c.min_group},
          {"released_at", Nullable(c.released_at)},
          {"raters", {{"total", Counts(entry.raters.total)}, {"by_group", groups}}},
          {"report", entry.report ? ReportJson(*entry.report) : ordered_json(nullptr)}};
}

ordered_json PlanJson(const service::PlanView& view) {
  const storage::DevelopmentPlan& p = view.plan;
  ordered_json priorities = ordered_json::array();
  for (const service::PriorityView& pv : view.priorities) {
    ordered_json actions = ordered_json::array();
    for (const storage::PlanAction& a : pv.actions) {
      actions.push_back({{"description", a.description},
                         {"owner", a.owner},
                         {"due_on", a.due_on},
                         {"status", std::string(storage::ActionStatusName(a.status))},
                         {"created_at", a.created_at},
                         {"updated_at", a.updated_at}});
    }
    ordered_json evidence = ordered_json::array();
    for (const storage::EvidenceNote& e : pv.evidence)
      evidence.push_back({{"note", e.note}, {"created_at", e.created_at}});
    priorities.push_back({{"competency", pv.competency_code},
                          {"title", pv.title},
                          {"goal", pv.goal},
                          {"actions", actions},
                          {"evidence", evidence}});
  }
  ordered_json shares = ordered_json::array();
  for (const service::ShareView& s : view.shares) {
    shares.push_back({{"name", s.name},
                      {"role", std::string(storage::ShareRoleName(s.role))},
                      {"shared_at", s.shared_at}});
  }
  ordered_json comments = ordered_json::array();
  for (const service::CommentView& c : view.comments) {
    comments.push_back({{"author", c.author_name},
                        {"by_you", c.by_owner},
                        {"body", c.body},
                        {"created_at", c.created_at}});
  }
  return {{"id", p.id},
          {"campaign", {{"id", p.campaign_id}, {"name", view.campaign_name}}},
          {"framework", {{"code", p.framework_code}, {"version", p.framework_version}}},
          {"created_at", p.created_at},
          {"updated_at", p.updated_at},
          {"priorities", priorities},
          {"shared_with", shares},
          {"comments", comments}};
}

ordered_json SharesJson(const std::vector<service::ReportShareEntry>& shares, const char* who) {
  ordered_json out = ordered_json::array();
  for (const service::ReportShareEntry& s : shares) {
    out.push_back({{"campaign", {{"id", s.campaign_id}, {"name", s.campaign_name}}},
                   {who, s.name},
                   {"shared_at", s.shared_at}});
  }
  return out;
}

}  // namespace

std::string SubjectAccessJson(const service::SubjectAccessExport& data) {
  ordered_json out = {
      {"format", "trellis-subject-access"},
      {"version", 1},
      {"generated_at", data.generated_at},
      {"requested_by",
       {{"account", data.requested_by}, {"as", data.by_admin ? "admin" : "the person"}}}};
  if (data.person && data.person->erased()) {
    const model::Person& p = data.person->person;
    out["person"] = {{"id", p.id},
                     {"erased", true},
                     {"erased_at", data.person->erased_at},
                     {"organisation_id", p.organisation_id},
                     {"level", std::string(model::LevelName(p.level))},
                     {"function", std::string(model::FunctionName(p.function))}};
    out["note"] =
        "This person's data was erased on request. Only this anonymised record remains, so that "
        "campaign figures that counted them stay consistent; nothing in it identifies them.";
    return out.dump(2) + "\n";
  }
  if (data.person) {
    const storage::StoredPerson& sp = *data.person;
    const model::Person& p = sp.person;
    ordered_json org = nullptr;
    if (data.organisation) {
      org = {{"id", data.organisation->id},
             {"name", data.organisation->name},
             {"sector", std::string(model::SectorName(data.organisation->sector))}};
    }
    out["person"] = {{"id", p.id},
                     {"name", p.name},
                     {"email", p.email},
                     {"organisation", org},
                     {"level", std::string(model::LevelName(p.level))},
                     {"function", std::string(model::FunctionName(p.function))},
                     {"line_manager", p.line_manager_id.empty()
                                          ? ordered_json(nullptr)
                                          : ordered_json{{"id", p.line_manager_id},
                                                         {"name", data.line_manager_name}}},
                     {"created_at", sp.created_at},
                     {"updated_at", sp.updated_at}};
  } else {
    out["person"] = nullptr;
  }
  ordered_json accounts = ordered_json::array();
  for (const storage::StoredAccount& a : data.accounts) {
    accounts.push_back({{"id", a.account.id},
                        {"email", a.account.email},
                        {"display_name", a.account.display_name},
                        {"role", std::string(model::RoleName(a.account.role))},
                        {"created_at", a.created_at}});
  }
  out["accounts"] = accounts;
  ordered_json campaigns = ordered_json::array();
  for (const service::SubjectAccessCampaign& c : data.campaigns)
    campaigns.push_back(CampaignJson(c));
  out["campaigns"] = campaigns;
  ordered_json rated = ordered_json::array();
  for (const service::RaterNominationEntry& n : data.rated) {
    rated.push_back({{"campaign", {{"id", n.campaign_id}, {"name", n.campaign_name}}},
                     {"status", std::string(model::NominationStatusName(n.status))},
                     {"submitted", n.submitted}});
  }
  out["as_rater"] = rated;
  ordered_json plans = ordered_json::array();
  for (const service::PlanView& p : data.plans) plans.push_back(PlanJson(p));
  out["development_plans"] = plans;
  ordered_json shared_plans = ordered_json::array();
  for (const service::PlanSharedWithEntry& s : data.plans_shared_with_you) {
    shared_plans.push_back({{"plan", {{"id", s.plan_id}, {"campaign", s.campaign_name}}},
                            {"owner", s.owner_name},
                            {"role", RoleName(s.role)}});
  }
  out["plans_shared_with_you"] = shared_plans;
  ordered_json written = ordered_json::array();
  for (const service::CommentWrittenEntry& c : data.comments_written) {
    written.push_back(
        {{"plan_owner", c.owner_name}, {"body", c.body}, {"created_at", c.created_at}});
  }
  out["comments_written"] = written;
  out["report_shares"] = {{"granted", SharesJson(data.shares_granted, "shared_with")},
                          {"received", SharesJson(data.shares_received, "subject")}};
  ordered_json audit = ordered_json::array();
  for (const service::SubjectAccessAuditEntry& e : data.audit) {
    // An entry about someone else's record: when they did what, nothing of whose or what.
    audit.push_back(e.full ? AuditEntryJson<ordered_json>(e.entry)
                           : ordered_json{{"seq", e.entry.seq},
                                          {"at", e.entry.at},
                                          {"actor", e.entry.actor},
                                          {"action", e.entry.action}});
  }
  out["audit_log"] = audit;
  ordered_json not_included = kNotIncluded;
  if (data.by_admin) {
    not_included.push_back(
        "Other people's plans shared with you and the comments you wrote on them: those plans "
        "are private to their owners and readers, so they are in the file you download "
        "yourself, not in one an admin downloads for you.");
  }
  out["not_included"] = not_included;
  return out.dump(2) + "\n";
}

}  // namespace trellis::web
