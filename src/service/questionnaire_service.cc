// service/questionnaire_service.cc — token → questionnaire; draft and submission validated
// against the campaign's framework version and the context check.
#include "service/questionnaire_service.h"

#include <ctime>
#include <map>
#include <memory>
#include <unordered_set>
#include <utility>

#include "service/campaign_service.h"
#include "service/submission_batcher.h"

namespace trellis::service {
namespace {

constexpr size_t kMaxCommentLength = 4000;
constexpr const char* kContextCheckCode = "context-check";

std::string Quoted(std::string_view s) { return "'" + std::string(s) + "'"; }

// "2026-03-01T…" → "2026-03-01" (UTC).
std::string DateOf(std::chrono::system_clock::time_point tp) {
  const std::time_t t = std::chrono::system_clock::to_time_t(tp);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[16];
  std::strftime(buf, sizeof buf, "%Y-%m-%d", &tm);
  return buf;
}

std::string TimeOf(std::chrono::system_clock::time_point tp) {
  const std::time_t t = std::chrono::system_clock::to_time_t(tp);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

// One message for every link that does not lead to a questionnaire, so a guess learns nothing.
Status InvalidLink() {
  return Status::NotFound(
      "this link is not valid: it may have been replaced by a newer one; use the latest link "
      "you were sent, or ask the person running the assessment");
}

}  // namespace

struct QuestionnaireService::Context {
  storage::NominationInCampaign found;
  std::shared_ptr<const Version> framework;
  std::shared_ptr<const Version> context_check;  // null: the campaign has no context check
};

QuestionnaireService::Version::Version(model::Framework f) : framework(std::move(f)) {
  for (const model::Domain& d : framework.domains) {
    domains.insert(d.code);
    for (const model::Competency& comp : d.competencies)
      for (const model::Item& i : comp.items) items.insert(i.code);
  }
}

Result<QuestionnaireService::Context> QuestionnaireService::Resolve(
    std::string_view token, std::chrono::system_clock::time_point now) {
  if (token.empty()) return InvalidLink();
  Result<storage::NominationInCampaign> found =
      campaigns_.FindNominationByTokenHash(HashRaterToken(token));
  if (!found.ok()) {
    if (found.status().code() == StatusCode::kNotFound) return InvalidLink();
    return found.status();
  }
  if (found->nomination.status != model::NominationStatus::kApproved) return InvalidLink();
  const model::Campaign& c = found->campaign;
  const std::string today = DateOf(now);
  if (c.state == model::CampaignState::kClosed || c.state == model::CampaignState::kReleased ||
      today > c.closes_on) {
    return Status::FailedPrecondition("this campaign closed on " + c.closes_on + "; thank you");
  }
  if (c.state == model::CampaignState::kDraft) {
    return Status::FailedPrecondition("this questionnaire has not opened yet; it opens on " +
                                      c.opens_on);
  }
  Context ctx;
  Result<std::shared_ptr<const Version>> framework =
      FrameworkVersion(c.framework_code, c.framework_version);
  if (!framework.ok()) return framework.status();
  ctx.framework = std::move(*framework);
  if (c.context_check && c.context_check_version) {
    // The version pinned when the campaign was created (immutable, so cached like the framework).
    Result<std::shared_ptr<const Version>> context =
        FrameworkVersion(kContextCheckCode, *c.context_check_version);
    if (!context.ok()) return context.status();
    ctx.context_check = std::move(*context);
  } else if (c.context_check) {  // a campaign stored before versions were pinned: the latest
    Result<storage::StoredFramework> context =
        frameworks_.GetFramework(kContextCheckCode, std::nullopt);
    if (!context.ok()) {
      if (context.status().code() != StatusCode::kNotFound) return context.status();
      return Status::FailedPrecondition(
          "the context-check questions are not installed; ask the person running the "
          "assessment to import frameworks/context-check.json");
    }
    ctx.context_check = std::make_shared<const Version>(std::move(context->framework));
  }
  ctx.found = std::move(*found);
  return ctx;
}

Result<std::shared_ptr<const QuestionnaireService::Version>> QuestionnaireService::FrameworkVersion(
    const std::string& code, int version) {
  const auto key = std::make_pair(code, version);
  {
    std::lock_guard<std::mutex> lock(versions_mu_);
    auto it = versions_.find(key);
    if (it != versions_.end()) return it->second;
  }
  Result<storage::StoredFramework> stored = frameworks_.GetFramework(code, version);
  if (!stored.ok()) return stored.status();
  auto built = std::make_shared<const Version>(std::move(stored->framework));
  std::lock_guard<std::mutex> lock(versions_mu_);
  return versions_.emplace(key, std::move(built)).first->second;
}

Result<Questionnaire> QuestionnaireService::Open(std::string_view token,
                                                 std::chrono::system_clock::time_point now) {
  Result<Context> ctx = Resolve(token, now);
  if (!ctx.ok()) return ctx.status();
  const model::Campaign& c = ctx->found.campaign;
  const model::Nomination& n = ctx->found.nomination;
  Questionnaire q;
  q.campaign_name = c.name;
  q.closes_on = c.closes_on;
  Result<std::vector<model::Person>> subject =
      campaigns_.GetPeople(c.partnership_id, {n.subject_id});
  if (!subject.ok()) return subject.status();
  q.subject_name = subject->front().name;
  q.group = n.group;
  q.anonymous = model::IsAnonymous(n.group);
  q.privacy_statement = PrivacyStatement(n.group, q.subject_name, c.min_group);
  q.framework = ctx->framework->framework;
  if (ctx->context_check) q.context_check = ctx->context_check->framework;
  Result<model::Response> saved = campaigns_.GetResponse(c.partnership_id, n.id);
  if (saved.ok()) {
    q.submitted = saved->submitted;
    q.saved = std::move(*saved);
  } else if (saved.status().code() != StatusCode::kNotFound) {
    return saved.status();
  }
  return q;
}

Result<model::Response> QuestionnaireService::Validate(
    const Context& ctx, const std::vector<model::Answer>& answers,
    const std::vector<std::pair<std::string, std::string>>& comments) {
  // The scale an item is answered on: its framework's (the context check's for its items).
  auto scale_of = [&ctx](const std::string& code) -> const model::Scale* {
    if (ctx.context_check && ctx.context_check->items.contains(code))
      return &ctx.context_check->framework.scale;
    if (ctx.framework->items.contains(code)) return &ctx.framework->framework.scale;
    return nullptr;
  };
  auto is_domain = [&ctx](const std::string& code) {
    return ctx.framework->domains.contains(code) ||
           (ctx.context_check && ctx.context_check->domains.contains(code));
  };
  model::Response r;
  r.nomination_id = ctx.found.nomination.id;
  r.answers.reserve(answers.size());
  std::unordered_set<std::string_view> answered;
  answered.reserve(answers.size());
  for (const model::Answer& a : answers) {
    const model::Scale* scale = scale_of(a.item_code);
    if (scale == nullptr)
      return Status::InvalidArgument("item " + Quoted(a.item_code) +
                                     " is not in this questionnaire");
    if (!answered.insert(a.item_code).second)
      return Status::InvalidArgument("item " + Quoted(a.item_code) + " is answered twice");
    if (a.score && (*a.score < scale->min || *a.score > scale->max)) {
      return Status::InvalidArgument("item " + Quoted(a.item_code) + ": " +
                                     std::to_string(*a.score) + " is outside the scale " +
                                     std::to_string(scale->min) + ".." +
                                     std::to_string(scale->max));
    }
    r.answers.push_back(a);
  }
  std::unordered_set<std::string_view> commented;
  for (const auto& [domain, text] : comments) {
    if (!is_domain(domain))
      return Status::InvalidArgument("comment on domain " + Quoted(domain) +
                                     ": not a domain of this questionnaire");
    if (!commented.insert(domain).second)
      return Status::InvalidArgument("domain " + Quoted(domain) + " has two comments");
    if (text.size() > kMaxCommentLength) {
      return Status::InvalidArgument("comment on domain " + Quoted(domain) + " is longer than " +
                                     std::to_string(kMaxCommentLength) + " characters");
    }
    if (!text.empty()) r.comments.emplace_back(domain, text);
  }
  return r;
}

Status QuestionnaireService::SaveDraft(
    std::string_view token, const std::vector<model::Answer>& answers,
    const std::vector<std::pair<std::string, std::string>>& comments,
    std::chrono::system_clock::time_point now) {
  Result<Context> ctx = Resolve(token, now);
  if (!ctx.ok()) return ctx.status();
  Result<model::Response> r = Validate(*ctx, answers, comments);
  if (!r.ok()) return r.status();
  r->saved_at = TimeOf(now);
  return campaigns_.SaveDraft(ctx->found.campaign.partnership_id, *r);
}

Result<storage::SubmitOutcome> QuestionnaireService::Submit(
    std::string_view token, const std::vector<model::Answer>& answers,
    const std::vector<std::pair<std::string, std::string>>& comments,
    std::string_view submission_key, std::chrono::system_clock::time_point now) {
  if (submission_key.empty())
    return Status::InvalidArgument("the form carried no submission key; reload the page");
  Result<Context> ctx = Resolve(token, now);
  if (!ctx.ok()) return ctx.status();
  Result<model::Response> r = Validate(*ctx, answers, comments);
  if (!r.ok()) return r.status();
  storage::Submission submission;
  submission.partnership_id = ctx->found.campaign.partnership_id;
  submission.response = std::move(*r);
  submission.submission_key = std::string(submission_key);
  submission.submitted_at = TimeOf(now);
  if (batcher_ != nullptr) return batcher_->Submit(std::move(submission));
  return campaigns_.SubmitResponse(submission);
}

}  // namespace trellis::service
