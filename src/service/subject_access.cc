// service/subject_access.cc — see subject_access.h.
#include "service/subject_access.h"

#include <algorithm>
#include <map>
#include <set>
#include <utility>

namespace trellis::service {
namespace {

constexpr size_t kAuditPage = 1000;  // DirectoryStore::ListAuditBefore's largest page

bool EndsWith(std::string_view text, std::string_view tail) {
  return text.size() >= tail.size() && text.substr(text.size() - tail.size()) == tail;
}

}  // namespace

struct SubjectAccessService::Reads {
  std::vector<storage::StoredAccount> accounts;  // the partnership's
  std::vector<model::Campaign> campaigns;        // the partnership's
  // The person's plans (mine) and those shared with any of their accounts (shared_with_me).
  MyPlans plans;
};

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
  Reads reads;
  if (!out.person || !out.person->erased()) {
    Result<std::vector<storage::StoredAccount>> accounts =
        directory_.ListAccounts(requester.partnership_id);
    if (!accounts.ok()) return accounts.status();
    reads.accounts = std::move(*accounts);
    for (const storage::StoredAccount& a : reads.accounts) {
      const bool linked = out.person && a.account.person_id == out.person->person.id;
      const bool requesters_own = !out.person && a.account.id == requester.account_id;
      if (linked || requesters_own) out.accounts.push_back(a);
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
    Result<std::vector<model::Campaign>> campaigns =
        campaigns_.ListCampaigns(requester.partnership_id);
    if (!campaigns.ok()) return campaigns.status();
    reads.campaigns = std::move(*campaigns);
    // The person's plans, and the plans shared with each of their accounts: one list per
    // account, the first also reading the person's own. An admin's export has no others'
    // plans (AddPlans), so reads only the person's own.
    const size_t readers = by_admin ? 1 : std::max<size_t>(out.accounts.size(), 1);
    for (size_t i = 0; i < readers; ++i) {
      Principal reader;
      reader.partnership_id = requester.partnership_id;
      if (!by_admin && i < out.accounts.size()) reader.account_id = out.accounts[i].account.id;
      if (i == 0) reader.person_id = p.id;
      Result<MyPlans> plans = plans_.List(reader);
      if (!plans.ok()) return plans.status();
      if (i == 0) reads.plans.mine = std::move(plans->mine);
      for (PlanListItem& item : plans->shared_with_me)
        reads.plans.shared_with_me.push_back(std::move(item));
    }
    // The log as it stood before this request: read first, so that the report views this
    // export makes are not listed as if the person had asked for them separately.
    TRELLIS_RETURN_IF_ERROR(AddAudit(requester, reads, out));
    TRELLIS_RETURN_IF_ERROR(AddCampaigns(requester, out));
    TRELLIS_RETURN_IF_ERROR(AddRated(requester, reads, out));
    TRELLIS_RETURN_IF_ERROR(AddPlans(requester, reads, out));
    TRELLIS_RETURN_IF_ERROR(AddShares(requester, reads, out));
  } else if (!out.person) {
    TRELLIS_RETURN_IF_ERROR(AddAudit(requester, reads, out));
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

Status SubjectAccessService::AddRated(const Principal& requester, const Reads& reads,
                                      SubjectAccessExport& out) {
  const model::Person& p = out.person->person;
  const std::string email = storage::EmailKey(p.email);
  for (const model::Campaign& c : reads.campaigns) {
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

Status SubjectAccessService::AddPlans(const Principal& requester, const Reads& reads,
                                      SubjectAccessExport& out) {
  const model::Person& p = out.person->person;
  // Read as the owner reads them, so comments name their authors as the plans page does.
  Principal owner;
  owner.partnership_id = requester.partnership_id;
  owner.person_id = p.id;
  owner.display_name = p.name;
  for (const PlanListItem& item : reads.plans.mine) {
    Result<PlanView> view = plans_.Get(owner, item.summary.id);
    if (!view.ok()) return view.status();
    out.plans.push_back(std::move(*view));
  }
  // Others' plans are private to their owners and readers (docs/plans.md): what the person
  // sees and writes there goes in their own download only, never to an admin.
  if (out.by_admin) return Status::Ok();
  for (const PlanListItem& item : reads.plans.shared_with_me) {
    out.plans_shared_with_you.push_back(
        {item.summary.id, item.owner_name, item.access, item.campaign_name});
  }
  // What they wrote on others' plans (their own plans' comments are under `plans`); erasure
  // deletes these too.
  std::map<std::string, std::string> owner_names;
  for (const storage::StoredAccount& a : out.accounts) {
    Result<std::vector<storage::AuthoredComment>> written =
        plans_.CommentsWrittenBy(requester.partnership_id, a.account.id);
    if (!written.ok()) return written.status();
    for (storage::AuthoredComment& c : *written) {
      if (c.plan_person_id == p.id) continue;
      auto name = owner_names.find(c.plan_person_id);
      if (name == owner_names.end()) {
        Result<storage::StoredPerson> plan_owner =
            directory_.GetPerson(requester.partnership_id, c.plan_person_id);
        name = owner_names.emplace(c.plan_person_id, plan_owner.ok() ? plan_owner->person.name : "")
                   .first;
      }
      out.comments_written.push_back(
          {name->second, std::move(c.comment.body), std::move(c.comment.created_at)});
    }
  }
  std::stable_sort(out.comments_written.begin(), out.comments_written.end(),
                   [](const CommentWrittenEntry& a, const CommentWrittenEntry& b) {
                     return a.created_at < b.created_at;
                   });
  return Status::Ok();
}

Status SubjectAccessService::AddShares(const Principal& requester, const Reads& reads,
                                       SubjectAccessExport& out) {
  std::map<std::string, std::string> account_names;
  for (const storage::StoredAccount& a : reads.accounts)
    account_names[a.account.id] = a.account.display_name;
  std::map<std::string, std::string> campaign_names;
  for (const model::Campaign& c : reads.campaigns) campaign_names[c.id] = c.name;

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

Status SubjectAccessService::AddAudit(const Principal& requester, const Reads& reads,
                                      SubjectAccessExport& out) {
  std::set<std::string, std::less<>> accounts, plans;
  for (const storage::StoredAccount& a : out.accounts) accounts.insert(a.account.id);
  for (const PlanListItem& item : reads.plans.mine) plans.insert(item.summary.id);
  const std::string person_id = out.person ? out.person->person.id : "";
  // Report entries (views, shares of the report) name "campaign/subject".
  const std::string report_suffix = person_id.empty() ? "" : "/" + person_id;
  // In full only an entry about the person's own records. Anything else they did (nominating
  // raters as an admin, reading another's report) says whose record it was and, for
  // nominations, who rates whom: it is listed by action and time alone.
  auto owned = [&](const storage::AuditEntry& e) {
    if (e.entity_type == "person") return !person_id.empty() && e.entity_id == person_id;
    if (e.entity_type == "account") return accounts.count(e.entity_id) != 0;
    if (e.entity_type == "plan") return plans.count(e.entity_id) != 0;
    if (e.entity_type == "report")
      return !report_suffix.empty() && EndsWith(e.entity_id, report_suffix);
    return false;
  };
  // Paged by key (seq below the last one seen): one index range per page, and an entry
  // appended meanwhile is neither listed twice nor pushes another out.
  int64_t before = 0;
  for (;;) {
    Result<std::vector<storage::AuditEntry>> page =
        directory_.ListAuditBefore(requester.partnership_id, before, kAuditPage);
    if (!page.ok()) return page.status();
    for (storage::AuditEntry& e : *page) {
      if (owned(e)) {
        out.audit.push_back({std::move(e), true});
      } else if (accounts.count(e.actor) != 0) {
        e.entity_type.clear();
        e.entity_id.clear();
        e.detail.clear();
        out.audit.push_back({std::move(e), false});
      }
    }
    if (page->size() < kAuditPage) break;
    before = page->back().seq;
  }
  return Status::Ok();
}

}  // namespace trellis::service
