// Tests for service/questionnaire_service.h with a real SQLite database
// (service/campaign_fixture.h): what a rater's link opens, the same answer for every invalid
// link, drafts, validated and idempotent submission, and the message after the close.
#include "service/questionnaire_service.h"

#include <gtest/gtest.h>

#include "service/campaign_fixture.h"

namespace trellis::service {
namespace {

using model::RaterGroup;
using storage::SubmitOutcome;

class QuestionnaireServiceTest : public CampaignFixture {
 protected:
  void SetUp() override {
    CampaignFixture::SetUp();
    campaign_id_ = OpenCampaign();
    tokens_ = Invite(campaign_id_);
    ASSERT_EQ(tokens_.size(), 5u);  // bob gets two: as manager and as subject
  }
  std::string campaign_id_;
  std::map<std::string, std::string> tokens_;  // email → token
};

TEST_F(QuestionnaireServiceTest, OpenShowsWhatTheRaterNeedsAndWhoSeesWhat) {
  Result<Questionnaire> q = questionnaires_->Open(tokens_["pat@partner.org"], Day(2026, 3, 2));
  ASSERT_TRUE(q.ok()) << q.status().ToString();
  EXPECT_EQ(q->campaign_name, "Spring 360");
  EXPECT_EQ(q->subject_name, "Ada Lovelace");
  EXPECT_EQ(q->group, RaterGroup::kPeer);
  EXPECT_TRUE(q->anonymous);
  EXPECT_NE(q->privacy_statement.find("anonymous"), std::string::npos);
  EXPECT_NE(q->privacy_statement.find("at least 3"), std::string::npos) << q->privacy_statement;
  EXPECT_EQ(q->framework.code, "integrated-care");
  EXPECT_EQ(q->framework.ItemCount(), 6u);
  EXPECT_EQ(q->framework.scale.labels.at(5), "Almost always");
  ASSERT_TRUE(q->context_check.has_value());
  EXPECT_EQ(q->context_check->code, "context-check");
  EXPECT_FALSE(q->saved.has_value());
  EXPECT_FALSE(q->submitted);

  Result<Questionnaire> manager =
      questionnaires_->Open(tokens_["bob@example.org"], Day(2026, 3, 2));
  ASSERT_TRUE(manager.ok());
  // bob is both ada's manager and his own subject; this mail is one of the two.
  if (manager->group == RaterGroup::kManager) {
    EXPECT_FALSE(manager->anonymous);
    EXPECT_NE(manager->privacy_statement.find("not anonymous"), std::string::npos);
  }
  Result<Questionnaire> self = questionnaires_->Open(tokens_["ada@example.org"], Day(2026, 3, 2));
  ASSERT_TRUE(self.ok());
  EXPECT_EQ(self->group, RaterGroup::kSelf);
  EXPECT_FALSE(self->anonymous);
}

TEST_F(QuestionnaireServiceTest, WithoutTheContextCheckOnlyTheFrameworkIsAsked) {
  CampaignSpec spec = Spec();
  spec.name = "No context";
  spec.context_check = false;
  const std::string id = OpenCampaign(spec);
  std::map<std::string, std::string> tokens = Invite(id);
  Result<Questionnaire> q = questionnaires_->Open(tokens["pat@partner.org"], Day(2026, 3, 2));
  ASSERT_TRUE(q.ok());
  EXPECT_FALSE(q->context_check.has_value());
  Result<SubmitOutcome> context_answer =
      questionnaires_->Submit(tokens["pat@partner.org"], {{"CAP1.1", 3}}, {}, "k", Day(2026, 3, 2));
  EXPECT_EQ(context_answer.status().code(), StatusCode::kInvalidArgument);
}

TEST_F(QuestionnaireServiceTest, AnInvalidLinkRevealsNothing) {
  Result<Questionnaire> unknown = questionnaires_->Open("AAAAAAAAAAAAAAAAAAAAAA", Day(2026, 3, 2));
  EXPECT_EQ(unknown.status().code(), StatusCode::kNotFound);
  // A declined nomination's link gets exactly the same answer.
  Result<std::vector<model::Nomination>> noms = service_->Nominations(kP1, campaign_id_);
  ASSERT_TRUE(noms.ok());
  for (const model::Nomination& n : *noms) {
    if (n.rater_email == "quinn@partner.org") {
      ASSERT_TRUE(service_->Decline(kP1, campaign_id_, n.id, kActor).ok());
    }
  }
  Result<Questionnaire> declined =
      questionnaires_->Open(tokens_["quinn@partner.org"], Day(2026, 3, 2));
  EXPECT_EQ(declined.status().code(), StatusCode::kNotFound);
  EXPECT_EQ(declined.status().message(), unknown.status().message());
  EXPECT_EQ(questionnaires_->Open("", Day(2026, 3, 2)).status().message(),
            unknown.status().message());
}

TEST_F(QuestionnaireServiceTest, ADraftIsSavedAndShownAgain) {
  const std::string token = tokens_["cyd@example.org"];
  ASSERT_TRUE(questionnaires_
                  ->SaveDraft(token, {{"SYS.1.a", 2}, {"CAP1.1", std::nullopt}},
                              {{"SYS", "Half done"}}, Day(2026, 3, 2))
                  .ok());
  Result<Questionnaire> q = questionnaires_->Open(token, Day(2026, 3, 3));
  ASSERT_TRUE(q.ok());
  ASSERT_TRUE(q->saved.has_value());
  EXPECT_FALSE(q->submitted);
  EXPECT_EQ(q->saved->answers.size(), 2u);
  EXPECT_EQ(q->saved->comments.at(0).second, "Half done");
  EXPECT_EQ(q->saved->saved_at, "2026-03-02T09:00:00Z");
}

TEST_F(QuestionnaireServiceTest, SubmitValidatesItemsAndScoresNamingTheItem) {
  const std::string token = tokens_["pat@partner.org"];
  Result<SubmitOutcome> bad =
      questionnaires_->Submit(token, {{"SYS.1.a", 7}}, {}, "k", Day(2026, 3, 2));
  EXPECT_EQ(bad.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(bad.status().message(), "item 'SYS.1.a': 7 is outside the scale 1..5");
  Result<SubmitOutcome> unknown =
      questionnaires_->Submit(token, {{"NOPE.1", 3}}, {}, "k", Day(2026, 3, 2));
  EXPECT_NE(unknown.status().message().find("'NOPE.1' is not in this questionnaire"),
            std::string::npos);
  Result<SubmitOutcome> bad_domain =
      questionnaires_->Submit(token, {}, {{"NOPE", "text"}}, "k", Day(2026, 3, 2));
  EXPECT_EQ(bad_domain.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(questionnaires_->Submit(token, {}, {}, "", Day(2026, 3, 2)).status().code(),
            StatusCode::kInvalidArgument);
  // Not observed and nothing at all are allowed; context items go with the framework's.
  Result<SubmitOutcome> ok =
      questionnaires_->Submit(token, {{"SYS.1.a", std::nullopt}, {"DATA.1.c", 1}, {"CAP1.2", 5}},
                              {{"DATA", "Good"}}, "k", Day(2026, 3, 2));
  ASSERT_TRUE(ok.ok()) << ok.status().ToString();
  EXPECT_EQ(*ok, SubmitOutcome::kRecorded);
}

TEST_F(QuestionnaireServiceTest, SubmitIsIdempotentForARetriedPost) {
  const std::string token = tokens_["pat@partner.org"];
  ASSERT_EQ(*questionnaires_->Submit(token, {{"SYS.1.a", 4}}, {}, "form-1", Day(2026, 3, 2)),
            SubmitOutcome::kRecorded);
  Result<SubmitOutcome> retry =
      questionnaires_->Submit(token, {{"SYS.1.a", 4}}, {}, "form-1", Day(2026, 3, 2));
  ASSERT_TRUE(retry.ok()) << retry.status().ToString();
  EXPECT_EQ(*retry, SubmitOutcome::kAlreadyRecorded);
  Result<SubmitOutcome> again =
      questionnaires_->Submit(token, {{"SYS.1.a", 1}}, {}, "form-2", Day(2026, 3, 2));
  EXPECT_EQ(again.status().code(), StatusCode::kAlreadyExists);
  EXPECT_EQ(questionnaires_->SaveDraft(token, {}, {}, Day(2026, 3, 2)).code(),
            StatusCode::kFailedPrecondition);
  Result<Questionnaire> q = questionnaires_->Open(token, Day(2026, 3, 3));
  ASSERT_TRUE(q.ok());
  EXPECT_TRUE(q->submitted);
  EXPECT_EQ(q->saved->answers.at(0).score, 4);

  // The submission reaches the analysis, under the nomination id, never the rater's name.
  Result<storage::CampaignRatings> ratings = campaigns_->LoadRatings(
      kP1, campaign_id_, store_->GetFramework("integrated-care", 1)->framework, nullptr);
  ASSERT_TRUE(ratings.ok());
  EXPECT_EQ(ratings->competencies.RowCount(), 1u);
  EXPECT_EQ(ratings->competencies.rater_ids.at(0).rfind("nom_", 0), 0u);
}

TEST_F(QuestionnaireServiceTest, AfterTheCloseTheRaterIsThanked) {
  const std::string token = tokens_["pat@partner.org"];
  // Past the closing date, even before an admin closes it.
  Result<Questionnaire> late = questionnaires_->Open(token, Day(2026, 4, 1));
  EXPECT_EQ(late.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(late.status().message(), "this campaign closed on 2026-03-31; thank you");
  EXPECT_TRUE(questionnaires_->Open(token, Day(2026, 3, 31, 23)).ok()) << "the last day counts";

  ASSERT_TRUE(service_->Close(kP1, campaign_id_, kActor).ok());
  Result<Questionnaire> closed = questionnaires_->Open(token, Day(2026, 3, 10));
  EXPECT_EQ(closed.status().message(), "this campaign closed on 2026-03-31; thank you");
  EXPECT_EQ(questionnaires_->Submit(token, {}, {}, "k", Day(2026, 3, 10)).status().code(),
            StatusCode::kFailedPrecondition);
  EXPECT_EQ(questionnaires_->SaveDraft(token, {}, {}, Day(2026, 3, 10)).code(),
            StatusCode::kFailedPrecondition);
}

}  // namespace
}  // namespace trellis::service
