// storage/postgres/postgres_campaign_store.h — the CampaignStore on PostgreSQL: the tables of
// migrations/0003_campaigns.sql in the schema of a PostgresStore, on that store's connection
// pool (PostgresStore::WithConnection). Same rows, wording and error codes as
// SqliteCampaignStore: both pass tests/contract/campaign_store_contract_test.cc.
// Thread-safe: each call borrows its own pooled connection. Writes take the advisory write lock
// of their partnership (partnership_lock.h), which the directory store shares, so checks such
// as "is the campaign open" cannot race a state change; reads of several statements see one
// snapshot. SubmitResponses commits a batch in one transaction (one WAL flush, with
// synchronous_commit forced on so an acknowledged submission survives a crash).
#pragma once

#include "storage/campaign_store.h"
#include "storage/postgres/postgres_store.h"

namespace trellis::storage {

class PostgresCampaignStore final : public CampaignStore {
 public:
  // `store` must outlive this object and be migrated (calls fail with kFailedPrecondition
  // until it is).
  explicit PostgresCampaignStore(PostgresStore& store) : store_(store) {}

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
  Result<std::vector<OrganisationProgress>> ProgressByOrganisation(
      std::string_view partnership_id, std::string_view campaign_id) override;

 private:
  Status MarkTime(std::string_view partnership_id, std::string_view nomination_id,
                  std::string_view column, std::string_view at, std::string_view what);

  PostgresStore& store_;
};

}  // namespace trellis::storage
