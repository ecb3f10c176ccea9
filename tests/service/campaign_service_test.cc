// Tests for service/campaign_service.h with a real SQLite database (service/campaign_fixture.h):
// campaign validation, nomination rules, the lifecycle, invitations whose links open the
// questionnaire, tokens never stored in clear, CSV export, reminders, and progress (with the
// subject's view holding counts only).
#include "service/campaign_service.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "service/campaign_fixture.h"

namespace trellis::service {
namespace {

using model::NominationStatus;
using model::RaterGroup;

class CampaignServiceTest : public CampaignFixture {};

TEST(RaterToken, Is22CharactersOfBase64UrlAndHashesToHexSha256) {
  const std::string a = NewRaterToken();
  const std::string b = NewRaterToken();
  EXPECT_EQ(a.size(), 22u);
  EXPECT_NE(a, b);
  EXPECT_TRUE(std::regex_match(a, std::regex("[A-Za-z0-9_-]{22}"))) << a;
  EXPECT_EQ(HashRaterToken("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST_F(CampaignServiceTest, CreateMakesADraftWithSelfNominationsAndDefaults) {
  Result<model::Campaign> c = service_->Create(Spec(), kActor);
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(c->state, model::CampaignState::kDraft);
  EXPECT_EQ(c->min_group, 3);
  EXPECT_EQ(c->framework_version, 1);  // latest
  EXPECT_EQ(c->subject_ids, (std::vector<std::string>{"ada", "bob"}));
  Result<std::vector<model::Nomination>> noms = service_->Nominations(kP1, c->id);
  ASSERT_TRUE(noms.ok());
  ASSERT_EQ(noms->size(), 2u);
  EXPECT_EQ((*noms)[0].group, RaterGroup::kSelf);
  EXPECT_EQ((*noms)[0].rater_person_id, "ada");
  EXPECT_EQ((*noms)[0].rater_email, "ada@example.org");
  EXPECT_EQ((*noms)[0].status, NominationStatus::kApproved);
  EXPECT_TRUE(store_->GetFramework("integrated-care", 1)->in_use);
}

TEST_F(CampaignServiceTest, CreateRejectsBadInputNamingTheField) {
  CampaignSpec spec = Spec();
  spec.closes_on = "2026-02-28";
  Result<model::Campaign> c = service_->Create(spec, kActor);
  EXPECT_EQ(c.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(c.status().message().find("closes_on"), std::string::npos);
  spec = Spec();
  spec.opens_on = "2026-02-30";
  EXPECT_EQ(service_->Create(spec, kActor).status().code(), StatusCode::kInvalidArgument);
  spec = Spec();
  spec.min_group = 1;
  c = service_->Create(spec, kActor);
  EXPECT_NE(c.status().message().find("min_group"), std::string::npos);
  spec = Spec();
  spec.framework_version = 7;
  EXPECT_EQ(service_->Create(spec, kActor).status().code(), StatusCode::kNotFound);
  spec = Spec();
  spec.subject_ids = {"ada", "eve"};  // eve belongs to another partnership
  EXPECT_EQ(service_->Create(spec, kActor).status().code(), StatusCode::kNotFound);
  EXPECT_TRUE(service_->List(kP1)->empty()) << "a refused campaign leaves nothing behind";
}

TEST_F(CampaignServiceTest, NominationRules) {
  Result<model::Campaign> c = service_->Create(Spec(), kActor);
  ASSERT_TRUE(c.ok());
  const std::string id = c->id;
  auto nominate = [&](RaterSpec r) { return service_->Nominate(kP1, id, {r}, kActor).status(); };
  // self is made with the subject, never nominated; the subject rates in no other group.
  EXPECT_EQ(nominate({"ada", "", "Ada", "ada2@example.org", RaterGroup::kSelf}).code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(nominate({"ada", "ada", "", "", RaterGroup::kPeer}).code(),
            StatusCode::kInvalidArgument);
  // One manager per subject.
  ASSERT_TRUE(nominate({"ada", "bob", "", "", RaterGroup::kManager}).ok());
  Status second = nominate({"ada", "cyd", "", "", RaterGroup::kManager});
  EXPECT_EQ(second.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(second.message().find("at most one"), std::string::npos) << second.message();
  // One group per rater per subject.
  EXPECT_EQ(nominate({"ada", "bob", "", "", RaterGroup::kPeer}).code(), StatusCode::kAlreadyExists);
  ASSERT_TRUE(nominate({"ada", "", "Pat", "Pat@Partner.org", RaterGroup::kPartner}).ok());
  EXPECT_EQ(nominate({"ada", "", "Pat again", "pat@partner.org", RaterGroup::kCommunity}).code(),
            StatusCode::kAlreadyExists);
  // External raters need a name and an email.
  EXPECT_EQ(nominate({"ada", "", "", "x@example.org", RaterGroup::kPeer}).code(),
            StatusCode::kInvalidArgument);
  Status bad_email = nominate({"ada", "", "Xan", "not-an-email", RaterGroup::kPeer});
  EXPECT_NE(bad_email.message().find("not an email address"), std::string::npos);
  // A subject's proposals wait for an admin.
  Result<std::vector<model::Nomination>> proposed = service_->Propose(
      kP1, id, "bob", {{"bob", "", "Community Carol", "carol@example.net", RaterGroup::kCommunity}},
      kActor);
  ASSERT_TRUE(proposed.ok()) << proposed.status().ToString();
  EXPECT_EQ((*proposed)[0].status, NominationStatus::kProposed);
  EXPECT_EQ(service_->Propose(kP1, id, "bob", {{"ada", "cyd", "", "", RaterGroup::kPeer}}, kActor)
                .status()
                .code(),
            StatusCode::kInvalidArgument);
  // Only through its own campaign: another campaign's id finds no such nomination.
  EXPECT_EQ(service_->Approve(kP1, "cmp_other", (*proposed)[0].id, kActor).code(),
            StatusCode::kNotFound);
  EXPECT_EQ(campaigns_->GetNomination(kP1, (*proposed)[0].id)->status, NominationStatus::kProposed);
  ASSERT_TRUE(service_->Approve(kP1, id, (*proposed)[0].id, kActor).ok());
  EXPECT_EQ(campaigns_->GetNomination(kP1, (*proposed)[0].id)->status, NominationStatus::kApproved);
  // The self-assessment cannot be declined.
  const std::string self_id = service_->Nominations(kP1, id)->front().id;
  EXPECT_EQ(service_->Decline(kP1, id, self_id, kActor).code(), StatusCode::kFailedPrecondition);
}

TEST_F(CampaignServiceTest, LifecycleTransitionsAreValidated) {
  Result<model::Campaign> c = service_->Create(Spec(), kActor);
  ASSERT_TRUE(c.ok());
  Status early = service_->Close(kP1, c->id, kActor);
  EXPECT_EQ(early.code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(early.message().find("is draft, not open"), std::string::npos) << early.message();
  EXPECT_EQ(service_->Release(kP1, c->id, kActor).code(), StatusCode::kFailedPrecondition);
  ASSERT_TRUE(service_->Open(kP1, c->id, kActor).ok());
  EXPECT_EQ(service_->Open(kP1, c->id, kActor).code(), StatusCode::kFailedPrecondition);
  ASSERT_TRUE(service_->Close(kP1, c->id, kActor).ok());
  ASSERT_TRUE(service_->Release(kP1, c->id, kActor).ok());
  Result<model::Campaign> done = service_->Get(kP1, c->id);
  EXPECT_EQ(done->state, model::CampaignState::kReleased);
  EXPECT_FALSE(done->released_at.empty());
  EXPECT_EQ(service_->Open(kP2, c->id, kActor).code(), StatusCode::kNotFound);
  // Nothing changes once closed.
  EXPECT_EQ(service_->AddSubjects(kP1, c->id, {"cyd"}, kActor).code(),
            StatusCode::kFailedPrecondition);

  CampaignSpec empty = Spec();
  empty.subject_ids.clear();
  Result<model::Campaign> e = service_->Create(empty, kActor);
  ASSERT_TRUE(e.ok());
  EXPECT_EQ(service_->Open(kP1, e->id, kActor).code(), StatusCode::kFailedPrecondition);
}

TEST_F(CampaignServiceTest, InvitationsEmailALinkThatOpensTheQuestionnaire) {
  const std::string id = OpenCampaign();
  Result<MailRun> run = service_->SendInvitations(kP1, id, kActor);
  ASSERT_TRUE(run.ok()) << run.status().ToString();
  EXPECT_EQ(run->sent, 6);  // 2 selves + manager + 3 peers
  EXPECT_TRUE(run->failed.empty());
  ASSERT_EQ(mailer_.sent.size(), 6u);
  const SentMail* pat = nullptr;
  for (const SentMail& m : mailer_.sent)
    if (m.to == "pat@partner.org") pat = &m;
  ASSERT_NE(pat, nullptr);
  EXPECT_EQ(pat->subject, "Spring 360: feedback on Ada Lovelace");
  EXPECT_NE(pat->body.find("Hello Pat Peer"), std::string::npos) << pat->body;
  EXPECT_NE(pat->body.find("anonymous"), std::string::npos);
  EXPECT_NE(pat->body.find("2026-03-31"), std::string::npos);
  const std::string token = TokenIn(pat->body);
  ASSERT_EQ(token.size(), 22u) << pat->body;

  Result<Questionnaire> q = questionnaires_->Open(token, Day(2026, 3, 2));
  ASSERT_TRUE(q.ok()) << q.status().ToString();
  EXPECT_EQ(q->subject_name, "Ada Lovelace");
  EXPECT_EQ(q->group, RaterGroup::kPeer);

  // A second run sends nothing: everyone is invited.
  mailer_.sent.clear();
  run = service_->SendInvitations(kP1, id, kActor);
  ASSERT_TRUE(run.ok());
  EXPECT_EQ(run->sent, 0);
  EXPECT_TRUE(mailer_.sent.empty());
}

TEST_F(CampaignServiceTest, TokensAreNeverStoredInClear) {
  const std::string id = OpenCampaign();
  std::map<std::string, std::string> tokens = Invite(id);
  ASSERT_EQ(tokens.size(), 5u);  // by email: bob gets two
  const std::string token = tokens["quinn@partner.org"];
  EXPECT_EQ(campaigns_->FindNominationByTokenHash(token).status().code(), StatusCode::kNotFound);
  EXPECT_TRUE(campaigns_->FindNominationByTokenHash(HashRaterToken(token)).ok());
  // Not in the database file or its write-ahead log either.
  for (const char* suffix : {"", "-wal"}) {
    std::ifstream in(dir_.path() / (std::string("trellis.db") + suffix), std::ios::binary);
    std::stringstream bytes;
    bytes << in.rdbuf();
    for (const auto& [email, t] : tokens)
      EXPECT_EQ(bytes.str().find(t), std::string::npos) << email << suffix;
  }
}

TEST_F(CampaignServiceTest, AFailedEmailIsRetriedOnTheNextRun) {
  const std::string id = OpenCampaign();
  mailer_.fail_to = "quinn@partner.org";
  Result<MailRun> run = service_->SendInvitations(kP1, id, kActor);
  ASSERT_TRUE(run.ok());
  EXPECT_EQ(run->sent, 5);
  ASSERT_EQ(run->failed.size(), 1u);
  EXPECT_EQ(run->failed[0].second.code(), StatusCode::kUnavailable);
  mailer_.fail_to.clear();
  mailer_.sent.clear();
  run = service_->SendInvitations(kP1, id, kActor);
  ASSERT_TRUE(run.ok());
  EXPECT_EQ(run->sent, 1);
  EXPECT_EQ(mailer_.sent.at(0).to, "quinn@partner.org");
}

TEST_F(CampaignServiceTest, InvitationsNeedAnOpenCampaignAndSkipProposals) {
  Result<model::Campaign> c = service_->Create(Spec(), kActor);
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(service_->SendInvitations(kP1, c->id, kActor).status().code(),
            StatusCode::kFailedPrecondition);
  ASSERT_TRUE(service_
                  ->Propose(kP1, c->id, "bob",
                            {{"bob", "", "Carol", "carol@example.net", RaterGroup::kCommunity}},
                            kActor)
                  .ok());
  ASSERT_TRUE(service_->Open(kP1, c->id, kActor).ok());
  ASSERT_TRUE(service_->SendInvitations(kP1, c->id, kActor).ok());
  for (const SentMail& m : mailer_.sent) EXPECT_NE(m.to, "carol@example.net");
}

TEST_F(CampaignServiceTest, ExportGivesCsvLinksOnceAndReissueInvalidatesTheOldLink) {
  const std::string id = OpenCampaign();
  Result<std::vector<Invitation>> invitations = service_->ExportInvitations(kP1, id, kActor);
  ASSERT_TRUE(invitations.ok()) << invitations.status().ToString();
  ASSERT_EQ(invitations->size(), 6u);
  const std::string csv = CampaignService::InvitationsCsv(*invitations);
  EXPECT_EQ(csv.substr(0, csv.find("\r\n")), "name,email,subject name,group,link");
  EXPECT_NE(csv.find("Pat Peer,pat@partner.org,Ada Lovelace,peer,https://trellis.test/r/"),
            std::string::npos)
      << csv;
  EXPECT_TRUE(service_->ExportInvitations(kP1, id, kActor)->empty()) << "links are shown only once";

  const Invitation& first = (*invitations)[0];
  const std::string old_token = TokenIn(first.link);
  ASSERT_TRUE(questionnaires_->Open(old_token, Day(2026, 3, 2)).ok());
  Result<Invitation> again = service_->ReissueLink(kP1, first.nomination_id, kActor);
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_NE(again->link, first.link);
  EXPECT_EQ(questionnaires_->Open(old_token, Day(2026, 3, 2)).status().code(),
            StatusCode::kNotFound);
  EXPECT_TRUE(questionnaires_->Open(TokenIn(again->link), Day(2026, 3, 2)).ok());
}

TEST_F(CampaignServiceTest, RemindersGoToInvitedNonRespondersAfterTheQuietPeriod) {
  const std::string id = OpenCampaign();
  std::map<std::string, std::string> tokens = Invite(id);
  ASSERT_TRUE(
      questionnaires_->Submit(tokens["pat@partner.org"], {}, {}, "k", Day(2026, 3, 2)).ok());
  now_ = Day(2026, 3, 4);
  Result<MailRun> run = service_->SendReminders(kP1, id, 7, kActor);
  ASSERT_TRUE(run.ok()) << run.status().ToString();
  EXPECT_EQ(run->sent, 0) << "invited three days ago";
  now_ = Day(2026, 3, 9);
  mailer_.sent.clear();
  run = service_->SendReminders(kP1, id, 7, kActor);
  ASSERT_TRUE(run.ok());
  EXPECT_EQ(run->sent, 5);  // everyone but Pat
  for (const SentMail& m : mailer_.sent) {
    EXPECT_NE(m.to, "pat@partner.org");
    EXPECT_EQ(m.subject, "Reminder: Spring 360");
  }
  // The reminder's link works; the invitation's was replaced.
  const SentMail& quinn =
      *std::find_if(mailer_.sent.begin(), mailer_.sent.end(),
                    [](const SentMail& m) { return m.to == "quinn@partner.org"; });
  EXPECT_TRUE(questionnaires_->Open(TokenIn(quinn.body), now_).ok());
  EXPECT_EQ(questionnaires_->Open(tokens["quinn@partner.org"], now_).status().code(),
            StatusCode::kNotFound);
  // Not reminded again within the quiet period.
  now_ = Day(2026, 3, 10);
  EXPECT_EQ(service_->SendReminders(kP1, id, 7, kActor)->sent, 0);
}

TEST_F(CampaignServiceTest, ProgressCountsAndTheSubjectSeesNoNames) {
  const std::string id = OpenCampaign();
  std::map<std::string, std::string> tokens = Invite(id);
  for (const char* who : {"pat@partner.org", "cyd@example.org", "ada@example.org"}) {
    ASSERT_TRUE(
        questionnaires_->Submit(tokens[who], {{"SYS.1.a", 4}}, {}, "k", Day(2026, 3, 3)).ok())
        << who;
  }
  Result<ProgressReport> report = service_->Progress(kP1, id);
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  EXPECT_EQ(report->total.nominated, 6);
  EXPECT_EQ(report->total.invited, 6);
  EXPECT_EQ(report->total.submitted, 3);
  EXPECT_DOUBLE_EQ(report->total.Rate(), 0.5);
  ASSERT_EQ(report->by_subject.size(), 2u);
  const SubjectRates& ada = report->by_subject[0];
  EXPECT_EQ(ada.subject_name, "Ada Lovelace");
  EXPECT_EQ(ada.total.nominated, 5);
  EXPECT_EQ(ada.total.submitted, 3);
  ASSERT_EQ(report->by_group.size(), 3u);  // self, manager, peer
  EXPECT_EQ(report->by_group[2].first, RaterGroup::kPeer);
  EXPECT_EQ(report->by_group[2].second.submitted, 2);
  ASSERT_EQ(report->by_organisation.size(), 2u);
  EXPECT_EQ(report->by_organisation[0].first, "org_a");
  EXPECT_EQ(report->by_organisation[0].second.submitted, 3);
  // The organisation-only report (the partnership page's) agrees with the full one.
  Result<OrganisationProgressReport> orgs = service_->ProgressByOrganisation(kP1, id);
  ASSERT_TRUE(orgs.ok()) << orgs.status().ToString();
  EXPECT_EQ(orgs->total.nominated, 6);
  EXPECT_EQ(orgs->total.invited, 6);
  EXPECT_EQ(orgs->total.submitted, 3);
  ASSERT_EQ(orgs->by_organisation.size(), report->by_organisation.size());
  for (size_t i = 0; i < orgs->by_organisation.size(); ++i) {
    EXPECT_EQ(orgs->by_organisation[i].first, report->by_organisation[i].first);
    EXPECT_EQ(orgs->by_organisation[i].second.nominated,
              report->by_organisation[i].second.nominated);
    EXPECT_EQ(orgs->by_organisation[i].second.invited, report->by_organisation[i].second.invited);
    EXPECT_EQ(orgs->by_organisation[i].second.submitted,
              report->by_organisation[i].second.submitted);
  }
  EXPECT_EQ(service_->ProgressByOrganisation(kP2, id).status().code(), StatusCode::kNotFound);

  Result<std::vector<NonResponder>> late = service_->NonResponders(kP1, id);
  ASSERT_TRUE(late.ok());
  ASSERT_EQ(late->size(), 3u);  // bob as manager, quinn, bob's self
  std::set<std::string> emails;
  for (const NonResponder& n : *late) emails.insert(n.rater_email);
  EXPECT_EQ(emails, (std::set<std::string>{"bob@example.org", "quinn@partner.org"}));

  Result<SubjectProgressView> mine = service_->SubjectProgress(kP1, id, "ada");
  ASSERT_TRUE(mine.ok());
  EXPECT_EQ(mine->total.nominated, 5);
  EXPECT_EQ(mine->total.submitted, 3);
  ASSERT_EQ(mine->by_group.size(), 3u);
  EXPECT_EQ(mine->by_group[2].second.nominated, 3);
  EXPECT_EQ(mine->by_group[2].second.submitted, 2);
  // SubjectProgressView is counts by group (its type has no field for a name or email).
  EXPECT_EQ(service_->SubjectProgress(kP1, id, "cyd").status().code(), StatusCode::kNotFound);
  EXPECT_EQ(service_->Progress(kP2, id).status().code(), StatusCode::kNotFound);
}

}  // namespace
}  // namespace trellis::service
