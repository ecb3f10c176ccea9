// service/subject_access.cc — see subject_access.h.
#include "service/subject_access.h"

#include <algorithm>
#include <map>
#include <set>
#include <utility>

namespace trellis::service {
namespace {

constexpr size_t kAuditPage = 1000;  // DirectoryStore::ListAudit's largest page

bool EndsWith(std::string_view text, std::string_view tail) {
  return text.size() >= tail.size() && text.substr(text.size() - tail.size()) == tail;
}

}  // namespace

SubjectAccessService::SubjectAccessService(storage::DirectoryStore& directory,
                                           storage::CampaignStore& campaigns,
                                           storage::ReportShareStore& shares,
                                           CampaignService& campaign_service,
                                           ReportService& reports, PlanService& plans,
                                           Options options)
    : directory_(directory),
      campaigns_(campaigns),
      shares_(shares),
      campaign_service_(campaign_service),
      reports_(reports),
      plans_(plans),
      options_(std::move(options)) {}

Result<SubjectAccessExport> SubjectAccessService::ExportOwn(const Principal& requester) {
  return Build(requester, requester.person_id, false);
}

Result<SubjectAccessExport> SubjectAccessService::ExportPerson(const Principal& requester,
                                                               std::string_view person_id) {
  const bool own = !requester.person_id.empty() && requester.person_id == person_id;
  if (!own && requester.role != model::Role::kAdmin)
    return Status::PermissionDenied("only an admin may export another person's data");
  if (person_id.empty()) return Status::NotFound("no person ''");
  return Build(requester, person_id, !own);
}

Result<SubjectAccessExport> SubjectAccessService::Build(const Principal& requester,
                                                        std::string_view person_id, bool by_admin) {
  SubjectAccessExport out;
  out.generated_at = UtcText(options_.clock ? options_.clock() : SystemNow());
  out.requested_by = requester.account_id;
  out.by_admin = by_admin;
  if (!person_id.empty()) {
    Result<storage::StoredPerson> person =
        directory_.GetPerson(requester.partnership_id, person_id);
    if (!person.ok()) return person.status();
    out.person = std::move(*person);
  }
  if (!out.person || !out.person->erased()) {
    Result<std::vector<storage::StoredAccount>> accounts =
        directory_.ListAccounts(requester.partnership_id);
    if (!accounts.ok()) return accounts.status();
    for (storage::StoredAccount& a : *accounts) {
      const bool linked = out.person && a.account.person_id == out.person->person.id;
      const bool requesters_own = !out.person && a.account.id == requester.account_id;
      if (linked || requesters_own) out.accounts.push_back(std::move(a));
    }
  }
  if (out.person && !out.person->erased()) {
    const model::Person& p = out.person->person;
    Result<model::Organisation> org =
        directory_.GetOrganisation(requester.partnership_id, p.organisation_id);
    if (org.ok()) out.organisation = std::move(*org);
    if (!p.line_manager_id.empty()) {
      Result<storage::StoredPerson> manager =
          directory_.GetPerson(requester.partnership_id, p.line_manager_id);
      if (manager.ok()) out.line_manager_name = manager->person.name;
    }
    // The log as it stood before this request: read first, so that the report views this
    // export makes are not listed as if the person had asked for them separately.
    TRELLIS_RETURN_IF_ERROR(AddAudit(requester, out));
    TRELLIS_RETURN_IF_ERROR(AddCampaigns(requester, out));
    TRELLIS_RETURN_IF_ERROR(AddRated(requester, out));
    TRELLIS_RETURN_IF_ERROR(AddPlans(requester, out));
    TRELLIS_RETURN_IF_ERROR(AddShares(requester, out));
  } else if (!out.person) {
    TRELLIS_RETURN_IF_ERROR(AddAudit(requester, out));
  }

  // Written before the export is handed back, so no export leaves without its entry.
  storage::AuditEntry e;
  e.partnership_id = requester.partnership_id;
  e.at = out.generated_at;
  e.actor = requester.account_id;
  e.action = "person.subject_access_exported";
  e.entity_type = out.person ? "person" : "account";
  e.entity_id = out.person ? out.person->person.id : requester.account_id;
  e.detail = by_admin ? "subject access export by an admin" : "subject access export by the person";
  TRELLIS_RETURN_IF_ERROR(directory_.AppendAudit(e));
  return out;
}

Status SubjectAccessService::AddCampaigns(const Principal& requester, SubjectAccessExport& out) {
  const std::string& person_id = out.person->person.id;
  Result<std::vector<model::Campaign>> campaigns =
      campaign_service_.ListForSubject(requester.partnership_id, person_id);
  if (!campaigns.ok()) return campaigns.status();
  for (model::Campaign& c : *campaigns) {
    SubjectAccessCampaign entry;
    Result<SubjectProgressView> raters =
        campaign_service_.SubjectProgress(requester.partnership_id, c.id, person_id);
    if (!raters.ok()) return raters.status();
    entry.raters = std::move(*raters);
    if (c.state == model::CampaignState::kReleased) {
      // The report page's own path: same figures, same suppression, same comments.
      Result<SubjectReport> report = reports_.Report(requester, c.id, person_id, "subject_access");
      if (!report.ok()) return report.status();
      entry.report = std::move(*report);
    }
    c.subject_ids.clear();
    entry.campaign = std::move(c);
    out.campaigns.push_back(std::move(entry));
  }
  std::sort(out.campaigns.begin(), out.campaigns.end(),
            [](const SubjectAccessCampaign& a, const SubjectAccessCampaign& b) {
              return a.campaign.created_at > b.campaign.created_at;
            });
  return Status::Ok();
}

Status SubjectAccessService::AddRated(const Principal& requester, SubjectAccessExport& out) {
  const model::Person& p = out.person->person;
  Result<std::vector<model::Campaign>> campaigns =
      campaigns_.ListCampaigns(requester.partnership_id);
  if (!campaigns.ok()) return campaigns.status();
  const std::string email = storage::EmailKey(p.email);
  for (const model::Campaign& c : *campaigns) {
    Result<std::vector<model::Nomination>> nominations =
        campaigns_.ListNominations(requester.partnership_id, c.id);
    if (!nominations.ok()) return nominations.status();
    for (const model::Nomination& n : *nominations) {
      // Their self-assessment is part of their own campaign entry, not a rating of someone else.
      if (n.group == model::RaterGroup::kSelf) continue;
      const bool theirs = (!n.rater_person_id.empty() && n.rater_person_id == p.id) ||
                          (!email.empty() && storage::EmailKey(n.rater_email) == email);
      // Campaign and status only: never the subject, group, nomination id or times, which
      // together with a small group could point at an answer.
      if (theirs) out.rated.push_back({c.id, c.name, n.status, !n.submitted_at.empty()});
    }
  }
  std::stable_sort(out.rated.begin(), out.rated.end(),
                   [](const RaterNominationEntry& a, const RaterNominationEntry& b) {
                     return a.campaign_name < b.campaign_name;
                   });
  return Status::Ok();
}

Status SubjectAccessService::AddPlans(const Principal& requester, SubjectAccessExport& out) {
  // Read as the owner reads them, so comments name their authors as the plans page does.
  Principal owner;
  owner.partnership_id = requester.partnership_id;
  owner.person_id = out.person->person.id;
  owner.display_name = out.person->person.name;
  Result<MyPlans> plans = plans_.List(owner);
  if (!plans.ok()) return plans.status();
  for (const PlanListItem& item : plans->mine) {
    Result<PlanView> view = plans_.Get(owner, item.summary.id);
    if (!view.ok()) return view.status();
    out.plans.push_back(std::move(*view));
  }
  return Status::Ok();
}

Status SubjectAccessService::AddShares(const Principal& requester, SubjectAccessExport& out) {
  Result<std::vector<storage::StoredAccount>> accounts =
      directory_.ListAccounts(requester.partnership_id);
  if (!accounts.ok()) return accounts.status();
  std::map<std::string, std::string> account_names;
  for (const storage::StoredAccount& a : *accounts)
    account_names[a.account.id] = a.account.display_name;
  std::map<std::string, std::string> campaign_names;
  Result<std::vector<model::Campaign>> campaigns =
      campaigns_.ListCampaigns(requester.partnership_id);
  if (!campaigns.ok()) return campaigns.status();
  for (const model::Campaign& c : *campaigns) campaign_names[c.id] = c.name;

  for (const SubjectAccessCampaign& c : out.campaigns) {
    Result<std::vector<storage::ReportShare>> granted =
        shares_.SharesOfReport(requester.partnership_id, c.campaign.id, out.person->person.id);
    if (!granted.ok()) return granted.status();
    for (const storage::ReportShare& s : *granted)
      out.shares_granted.push_back(
          {s.campaign_id, c.campaign.name, account_names[s.account_id], s.shared_at});
  }
  for (const storage::StoredAccount& a : out.accounts) {
    Result<std::vector<storage::ReportShare>> received =
        shares_.SharesWithAccount(requester.partnership_id, a.account.id);
    if (!received.ok()) return received.status();
    for (const storage::ReportShare& s : *received) {
      Result<storage::StoredPerson> subject =
          directory_.GetPerson(requester.partnership_id, s.subject_id);
      out.shares_received.push_back({s.campaign_id, campaign_names[s.campaign_id],
                                     subject.ok() ? subject->person.name : "", s.shared_at});
    }
  }
  return Status::Ok();
}

Status SubjectAccessService::AddAudit(const Principal& requester, SubjectAccessExport& out) {
  std::set<std::string, std::less<>> actors, subjects;
  for (const storage::StoredAccount& a : out.accounts) {
    actors.insert(a.account.id);
    subjects.insert(a.account.id);
  }
  std::string report_suffix;
  if (out.person) {
    subjects.insert(out.person->person.id);
    // Report entries name "campaign/subject".
    report_suffix = "/" + out.person->person.id;
    Result<MyPlans> plans = plans_.List(Principal{
        "", requester.partnership_id, model::Role::kMember, "", "", out.person->person.id, ""});
    if (!plans.ok()) return plans.status();
    for (const PlanListItem& item : plans->mine) subjects.insert(item.summary.id);
  }
  for (size_t offset = 0;; offset += kAuditPage) {
    Result<std::vector<storage::AuditEntry>> page =
        directory_.ListAudit(requester.partnership_id, offset, kAuditPage);
    if (!page.ok()) return page.status();
    for (storage::AuditEntry& e : *page) {
      const bool about = subjects.count(e.entity_id) != 0 ||
                         (!report_suffix.empty() && EndsWith(e.entity_id, report_suffix));
      if (actors.count(e.actor) != 0 || about) out.audit.push_back(std::move(e));
    }
    if (page->size() < kAuditPage) break;
  }
  return Status::Ok();
}

}  // namespace trellis::service
