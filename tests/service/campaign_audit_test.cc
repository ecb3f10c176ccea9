// Tests for the audit log of service/campaign_service.h (every change to a campaign or its
// nominations, naming the actor, never a token or link), the subject's own view (their
// campaigns and pending proposals) and the context-check version pinned at creation.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "service/campaign_fixture.h"
#include "service/campaign_service.h"

namespace trellis::service {
namespace {

using model::NominationStatus;
using model::RaterGroup;

class CampaignAuditTest : public CampaignFixture {
 protected:
  // The partnership's audit entries, oldest first, without the fixture's seeding entries.
  std::vector<storage::AuditEntry> Log(const std::string& partnership = kP1) {
    Result<std::vector<storage::AuditEntry>> entries = directory_->ListAudit(partnership, 0, 1000);
    EXPECT_TRUE(entries.ok()) << entries.status().ToString();
    std::vector<storage::AuditEntry> out;
    if (!entries.ok()) return out;
    for (auto it = entries->rbegin(); it != entries->rend(); ++it)
      if (it->action != "seed") out.push_back(*it);
    return out;
  }
  static std::vector<std::string> Actions(const std::vector<storage::AuditEntry>& log) {
    std::vector<std::string> out;
    for (const storage::AuditEntry& e : log) out.push_back(e.action);
    return out;
  }
};

TEST_F(CampaignAuditTest, EveryChangeIsLoggedWithTheActorAndNoLinks) {
  Result<model::Campaign> c = service_->Create(Spec(), "acc_lead");
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  const std::string id = c->id;
  ASSERT_TRUE(service_->AddSubjects(kP1, id, {"cyd"}, kActor).ok());
  ASSERT_TRUE(service_->RemoveSubject(kP1, id, "cyd", kActor).ok());
  Result<std::vector<model::Nomination>> nominated =
      service_->Nominate(kP1, id,
                         {{"ada", "bob", "", "", RaterGroup::kManager},
                          {"ada", "", "Pat Peer", "pat@partner.org", RaterGroup::kPeer}},
                         kActor);
  ASSERT_TRUE(nominated.ok()) << nominated.status().ToString();
  Result<std::vector<model::Nomination>> proposed =
      service_->Propose(kP1, id, "bob",
                        {{"bob", "", "Quinn Peer", "quinn@partner.org", RaterGroup::kPeer},
                         {"bob", "", "Rae Other", "rae@partner.org", RaterGroup::kOther}},
                        "acc_bob");
  ASSERT_TRUE(proposed.ok()) << proposed.status().ToString();
  ASSERT_TRUE(service_->Approve(kP1, id, (*proposed)[0].id, kActor).ok());
  ASSERT_TRUE(service_->Decline(kP1, id, (*proposed)[1].id, kActor).ok());
  ASSERT_TRUE(service_->Open(kP1, id, kActor).ok());
  std::map<std::string, std::string> tokens = Invite(id);  // SendInvitations by kActor
  ASSERT_FALSE(tokens.empty());
  now_ = Day(2026, 3, 10);
  ASSERT_TRUE(service_->SendReminders(kP1, id, 3, kActor).ok());
  ASSERT_TRUE(service_->ReissueLink(kP1, (*nominated)[1].id, kActor).ok());
  ASSERT_TRUE(service_->Close(kP1, id, kActor).ok());
  ASSERT_TRUE(service_->Release(kP1, id, kActor).ok());

  const std::vector<storage::AuditEntry> log = Log();
  EXPECT_EQ(
      Actions(log),
      (std::vector<std::string>{
          "campaign.created", "campaign.subjects_added", "campaign.subjects_added",
          "campaign.subject_removed", "nomination.added", "nomination.added", "nomination.proposed",
          "nomination.proposed", "nomination.approved", "nomination.declined", "campaign.opened",
          "campaign.invitations_sent", "campaign.reminders_sent", "nomination.link_reissued",
          "campaign.closed", "campaign.released"}));
  EXPECT_EQ(log[0].actor, "acc_lead");
  EXPECT_EQ(log[0].entity_type, "campaign");
  EXPECT_EQ(log[0].entity_id, id);
  EXPECT_EQ(log[0].detail,
            "campaign 'Spring 360' on integrated-care version 1, context check version 1, "
            "2026-03-01 to 2026-03-31, min_group 3");
  EXPECT_EQ(log[1].detail, "2 subjects added (each with a self nomination): 'ada', 'bob'");
  EXPECT_EQ(log[6].actor, "acc_bob");
  EXPECT_EQ(log[6].entity_id, (*proposed)[0].id);
  EXPECT_EQ(log[6].detail,
            "peer rater for subject 'bob' (external rater) proposed in campaign 'Spring 360'");
  EXPECT_EQ(log[9].detail,
            "other rater for subject 'bob' (external rater) declined (was proposed)");
  EXPECT_EQ(log[10].detail, "campaign 'Spring 360' draft -> open");
  EXPECT_EQ(log[11].detail, "5 invitations emailed; 0 not accepted by the mail server");
  EXPECT_EQ(log[1].actor, "acc_lead");  // the subjects of the new campaign
  for (size_t i = 2; i < log.size(); ++i) {
    if (i != 6 && i != 7) {
      EXPECT_EQ(log[i].actor, kActor) << log[i].action;
    }
  }
  // Never a link, a token or a rater's email in the log.
  for (const storage::AuditEntry& e : log) {
    EXPECT_EQ(e.detail.find("/r/"), std::string::npos) << e.detail;
    EXPECT_EQ(e.detail.find("@"), std::string::npos) << e.detail;
    for (const auto& [email, token] : tokens)
      EXPECT_EQ(e.detail.find(token), std::string::npos) << e.detail;
  }
  EXPECT_TRUE(Log(kP2).empty()) << "nothing in another partnership's log";
}

TEST_F(CampaignAuditTest, RefusedAndNoOpActionsLogNothing) {
  const std::string id = OpenCampaign();
  const size_t before = Log().size();
  EXPECT_FALSE(service_->Open(kP1, id, kActor).ok());  // already open
  EXPECT_FALSE(
      service_->Nominate(kP1, id, {{"ada", "ada", "", "", RaterGroup::kPeer}}, kActor).ok());
  ASSERT_TRUE(service_->SendInvitations(kP1, id, kActor).ok());  // 6 invitations
  const size_t after_first = Log().size();
  EXPECT_EQ(after_first, before + 1);
  ASSERT_TRUE(service_->SendInvitations(kP1, id, kActor).ok());  // nobody left
  EXPECT_TRUE(service_->ExportInvitations(kP1, id, kActor)->empty());
  EXPECT_EQ(Log().size(), after_first);
}

TEST_F(CampaignAuditTest, ExportIsLoggedWithoutItsLinks) {
  const std::string id = OpenCampaign();
  Result<std::vector<Invitation>> exported = service_->ExportInvitations(kP1, id, kActor);
  ASSERT_TRUE(exported.ok());
  const storage::AuditEntry last = Log().back();
  EXPECT_EQ(last.action, "campaign.invitations_exported");
  EXPECT_EQ(last.detail, "6 invitation links exported as CSV for a mail merge");
}

TEST_F(CampaignAuditTest, SubjectSeesTheirCampaignsAndOnlyTheirOwnProposals) {
  const std::string id = OpenCampaign();  // subjects ada and bob; admin raters for ada
  Result<model::Campaign> other = service_->Create(
      [&] {
        CampaignSpec s = Spec();
        s.name = "Cyd only";
        s.subject_ids = {"cyd"};
        return s;
      }(),
      kActor);
  ASSERT_TRUE(other.ok());
  Result<std::vector<model::Campaign>> mine = service_->ListForSubject(kP1, "ada");
  ASSERT_TRUE(mine.ok());
  ASSERT_EQ(mine->size(), 1u);
  EXPECT_EQ((*mine)[0].id, id);
  EXPECT_TRUE(service_->ListForSubject(kP2, "ada")->empty());

  ASSERT_TRUE(service_
                  ->Propose(kP1, id, "ada",
                            {{"ada", "", "Sal Partner", "sal@partner.org", RaterGroup::kPartner}},
                            "acc_ada")
                  .ok());
  Result<std::vector<model::Nomination>> pending = service_->SubjectProposals(kP1, id, "ada");
  ASSERT_TRUE(pending.ok());
  ASSERT_EQ(pending->size(), 1u) << "admin nominations are never listed to the subject";
  EXPECT_EQ((*pending)[0].rater_name, "Sal Partner");
  EXPECT_EQ((*pending)[0].status, NominationStatus::kProposed);
  EXPECT_TRUE((*pending)[0].proposed_by_subject);
  // Declined: still listed, as declined. An admin's nomination declined: never listed.
  ASSERT_TRUE(service_->Decline(kP1, id, (*pending)[0].id, kActor).ok());
  Result<std::vector<model::Nomination>> nominations = service_->Nominations(kP1, id);
  ASSERT_TRUE(nominations.ok());
  for (const model::Nomination& n : *nominations) {
    if (n.rater_email == "pat@partner.org") {
      EXPECT_FALSE(n.proposed_by_subject);
      ASSERT_TRUE(service_->Decline(kP1, id, n.id, kActor).ok());
    }
  }
  Result<std::vector<model::Nomination>> after = service_->SubjectProposals(kP1, id, "ada");
  ASSERT_EQ(after->size(), 1u);
  EXPECT_EQ((*after)[0].rater_name, "Sal Partner");
  EXPECT_EQ((*after)[0].status, NominationStatus::kDeclined);
  EXPECT_TRUE(service_->SubjectProposals(kP1, id, "bob")->empty());
  EXPECT_EQ(service_->SubjectProposals(kP1, id, "cyd").status().code(), StatusCode::kNotFound);

  // Proposals close with the campaign.
  ASSERT_TRUE(service_->Close(kP1, id, kActor).ok());
  EXPECT_EQ(service_
                ->Propose(kP1, id, "ada",
                          {{"ada", "", "Late", "late@partner.org", RaterGroup::kPeer}}, "acc_ada")
                .status()
                .code(),
            StatusCode::kFailedPrecondition);
}

TEST_F(CampaignAuditTest, ContextCheckVersionIsPinnedAtCreation) {
  Result<model::Campaign> first = service_->Create(Spec(), kActor);
  ASSERT_TRUE(first.ok());
  ASSERT_EQ(first->context_check_version, std::optional<int>(1));
  // A newer context check is imported while the campaign runs.
  Result<storage::StoredFramework> stored = store_->GetFramework("context-check", std::nullopt);
  ASSERT_TRUE(stored.ok());
  model::Framework changed = stored->framework;
  changed.title += " (revised)";
  FrameworkService frameworks(*store_);
  Result<ImportOutcome> v2 = frameworks.ImportFramework(changed, "revised");
  ASSERT_TRUE(v2.ok()) << v2.status().ToString();
  ASSERT_EQ(v2->stored.framework.version, 2);

  EXPECT_EQ(service_->Get(kP1, first->id)->context_check_version, std::optional<int>(1));
  Result<model::Campaign> second = service_->Create(Spec(), kActor);
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(second->context_check_version, std::optional<int>(2));
  CampaignSpec without = Spec();
  without.context_check = false;
  EXPECT_EQ(service_->Create(without, kActor)->context_check_version, std::nullopt);

  // The rater of the first campaign answers version 1's questions.
  ASSERT_TRUE(service_
                  ->Nominate(kP1, first->id,
                             {{"ada", "", "Pat Peer", "pat@partner.org", RaterGroup::kPeer}},
                             kActor)
                  .ok());
  ASSERT_TRUE(service_->Open(kP1, first->id, kActor).ok());
  std::map<std::string, std::string> tokens = Invite(first->id);
  Result<Questionnaire> q = questionnaires_->Open(tokens["pat@partner.org"], Day(2026, 3, 2));
  ASSERT_TRUE(q.ok()) << q.status().ToString();
  ASSERT_TRUE(q->context_check.has_value());
  EXPECT_EQ(q->context_check->version, 1);
  EXPECT_EQ(q->context_check->title, stored->framework.title);
}

}  // namespace
}  // namespace trellis::service
