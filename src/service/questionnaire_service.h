// service/questionnaire_service.h — the rater's side of a campaign, reached with the link token
// from an invitation and no account: open the questionnaire, autosave a draft, submit.
// The token is the only credential: it is hashed (service/campaign_service.h HashRaterToken)
// and looked up; an unknown, replaced or declined link gets one and the same kNotFound, so a
// guess learns nothing. A rater's page shows nothing about other raters.
// Submission is idempotent per submission key (the web form carries one), so a retried POST is
// recognised rather than doubled or refused. Thread-safe when the stores are.
#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_set>
#include <utility>
#include <vector>

#include "core/status.h"
#include "model/campaign.h"
#include "model/framework.h"
#include "storage/campaign_store.h"
#include "storage/store.h"

namespace trellis::service {

class SubmissionBatcher;

// Everything a rater's questionnaire page shows.
struct Questionnaire {
  std::string campaign_name;
  std::string closes_on;     // ISO date, inclusive
  std::string subject_name;  // whom the rater is rating (their own name for self)
  model::RaterGroup group = model::RaterGroup::kPeer;
  bool anonymous = true;          // all groups but self and manager
  std::string privacy_statement;  // plain text: who will see what
  // The campaign's framework version: domains → competencies → items, with the scale and its
  // labels. Answers may leave any item "not observed".
  model::Framework framework;
  // The context-check items (capacity, commitment, context), when the campaign includes them.
  std::optional<model::Framework> context_check;
  // The saved draft or the submitted response, if any (answers and domain comments).
  std::optional<model::Response> saved;
  bool submitted = false;  // true: the page thanks the rater; nothing can be changed
};

class QuestionnaireService {
 public:
  // The stores, and `batcher` when given, must outlive the service. With a batcher (on the
  // same campaign store), Submit commits through it: concurrent submissions share one durable
  // transaction (group commit); without one, each Submit is its own transaction.
  QuestionnaireService(storage::Store& frameworks, storage::CampaignStore& campaigns,
                       SubmissionBatcher* batcher = nullptr)
      : frameworks_(frameworks), campaigns_(campaigns), batcher_(batcher) {}

  // The questionnaire behind `token` at time `now`.
  // kNotFound "this link is not valid …" for an unknown or replaced token, or a nomination
  // that is not approved (the same message for all); kFailedPrecondition "this campaign closed
  // on DATE; thank you" once closed (by an admin, or past its closing date), or "… has not
  // opened yet" before it opens; kFailedPrecondition when the context-check framework is not
  // stored but the campaign needs it.
  Result<Questionnaire> Open(std::string_view token, std::chrono::system_clock::time_point now);

  // Saves answers and comments as a draft (replacing the previous draft). Errors as Open, plus
  // kInvalidArgument as Submit, and kFailedPrecondition once the response is submitted.
  Status SaveDraft(std::string_view token, const std::vector<model::Answer>& answers,
                   const std::vector<std::pair<std::string, std::string>>& comments,
                   std::chrono::system_clock::time_point now);

  // Submits the response atomically and durably. Every answer must name an item of the
  // questionnaire and score within the scale, or be "not observed" (nullopt); nothing is
  // required. Comments are keyed by a domain code of the framework, at most 4000 characters.
  // Returns kRecorded, or kAlreadyRecorded when this key was already submitted (a retry).
  // kInvalidArgument naming the item ("item 'SYS.1.a': 7 is outside the scale 1..5"), the
  // domain, or an empty key; kAlreadyExists when this link already submitted a different
  // response; errors as Open.
  Result<storage::SubmitOutcome> Submit(
      std::string_view token, const std::vector<model::Answer>& answers,
      const std::vector<std::pair<std::string, std::string>>& comments,
      std::string_view submission_key, std::chrono::system_clock::time_point now);

 private:
  struct Context;
  // Resolves the token and checks the campaign is open on `now`'s date.
  Result<Context> Resolve(std::string_view token, std::chrono::system_clock::time_point now);
  Result<model::Response> Validate(
      const Context& ctx, const std::vector<model::Answer>& answers,
      const std::vector<std::pair<std::string, std::string>>& comments);

  // A framework version with the lookups validation needs (its item and domain codes), built
  // once: Validate runs on every submission and should not rebuild them per request.
  struct Version {
    explicit Version(model::Framework f);
    model::Framework framework;
    std::unordered_set<std::string> items;
    std::unordered_set<std::string> domains;
  };
  // The campaign's framework version. Stored versions never change (storage/store.h), so
  // each is read from the Store once and then shared from `versions_`: every page view and
  // submission needs it, and reading its ~100 rows per request dominated the submit path.
  Result<std::shared_ptr<const Version>> FrameworkVersion(const std::string& code, int version);

  storage::Store& frameworks_;
  storage::CampaignStore& campaigns_;
  SubmissionBatcher* batcher_;  // null: submit directly
  std::mutex versions_mu_;
  std::map<std::pair<std::string, int>, std::shared_ptr<const Version>>
      versions_;  // guarded by versions_mu_
};

}  // namespace trellis::service
