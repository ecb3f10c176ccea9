// storage/sqlite/sqlite_campaign_store.h — the CampaignStore on SQLite: the tables of
// migrations/0003_campaigns.sql in the same database file as the framework library, on the
// connection pool of a SqliteStore (so one WAL database, one busy timeout, one set of pragmas:
// synchronous=FULL makes every committed submission survive power loss).
// Thread-safe: each call borrows its own pooled connection; writes take the write lock up front.
// Submissions are written by SubmitResponses, which commits a batch in one transaction (one
// fsync), so a batching writer can later group concurrent SubmitResponse calls.
#pragma once

#include "storage/campaign_store.h"
#include "storage/sqlite/sqlite_store.h"

namespace trellis::storage {

class SqliteCampaignStore final : public CampaignStore {
 public:
  // `store` must outlive this object and be migrated (calls fail with kFailedPrecondition
  // until it is).
  explicit SqliteCampaignStore(SqliteStore& store) : store_(store) {}

  Status CreateCampaign(const model::Campaign& campaign) override;
  Result<model::Campaign> GetCampaign(std::string_view partnership_id,
                                      std::string_view campaign_id) override;
  Result<std::vector<model::Campaign>> ListCampaigns(std::string_view partnership_id) override;
  Status UpdateCampaignState(std::string_view partnership_id, std::string_view campaign_id,
                             model::CampaignState from, model::CampaignState to,
                             std::string_view at) override;
  Result<std::vector<model::Person>> GetPeople(std::string_view partnership_id,
                                               const std::vector<std::string>& ids) override;
  Status AddSubjects(std::string_view partnership_id, std::string_view campaign_id,
                     const std::vector<std::string>& person_ids) override;
  Status RemoveSubject(std::string_view partnership_id, std::string_view campaign_id,
                       std::string_view person_id) override;
  Result<std::vector<model::Person>> ListSubjects(std::string_view partnership_id,
                                                  std::string_view campaign_id) override;
  Status AddNominations(std::string_view partnership_id,
                        const std::vector<model::Nomination>& nominations) override;
  Result<model::Nomination> GetNomination(std::string_view partnership_id,
                                          std::string_view nomination_id) override;
  Result<std::vector<model::Nomination>> ListNominations(std::string_view partnership_id,
                                                         std::string_view campaign_id) override;
  Result<std::vector<model::Nomination>> ListNominationsForSubject(
      std::string_view partnership_id, std::string_view campaign_id,
      std::string_view subject_id) override;
  Status SetNominationStatus(std::string_view partnership_id, std::string_view nomination_id,
                             model::NominationStatus status) override;
  Status SetTokenHash(std::string_view partnership_id, std::string_view nomination_id,
                      std::string_view token_hash) override;
  Result<NominationInCampaign> FindNominationByTokenHash(std::string_view token_hash) override;
  Status MarkInvited(std::string_view partnership_id, std::string_view nomination_id,
                     std::string_view at) override;
  Status MarkReminded(std::string_view partnership_id, std::string_view nomination_id,
                      std::string_view at) override;
  Status SaveDraft(std::string_view partnership_id, const model::Response& response) override;
  Result<model::Response> GetResponse(std::string_view partnership_id,
                                      std::string_view nomination_id) override;
  Result<SubmitOutcome> SubmitResponse(const Submission& submission) override;
  Result<std::vector<Result<SubmitOutcome>>> SubmitResponses(
      std::span<const Submission> submissions) override;
  Result<CampaignRatings> LoadRatings(std::string_view partnership_id, std::string_view campaign_id,
                                      const model::Framework& framework,
                                      const model::Framework* context_check) override;
  Result<CampaignProgress> Progress(std::string_view partnership_id,
                                    std::string_view campaign_id) override;

 private:
  Status MarkTime(std::string_view partnership_id, std::string_view nomination_id,
                  std::string_view column, std::string_view at, std::string_view what);

  SqliteStore& store_;
};

}  // namespace trellis::storage
