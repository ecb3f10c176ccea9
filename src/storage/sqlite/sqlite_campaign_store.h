// storage/sqlite/sqlite_campaign_store.h — the CampaignStore on SQLite: the tables of
// migrations/0003_campaigns.sql in the same database file as the framework library, on the
// connection pool of a SqliteStore (so one WAL database, one busy timeout, one set of pragmas:
// synchronous=FULL makes every committed submission survive power loss).
// Thread-safe: each call borrows its own pooled connection; writes take the write lock up front.
// Submissions are written by SubmitResponses, which commits a batch in one transaction (one
// fsync), so a batching writer (service::SubmissionBatcher) groups concurrent submissions. It
// runs on a connection of its own, one call at a time, whose page cache stays warm from batch
// to batch (a pooled connection's cache is stale whenever another connection has written); its
// WAL checkpoints run on a background thread, so a batch seldom waits for one.
#pragma once

#include <condition_variable>
#include <memory>
#include <mutex>
#include <thread>

#include "storage/campaign_store.h"
#include "storage/sqlite/sqlite_db.h"
#include "storage/sqlite/sqlite_store.h"

namespace trellis::storage {

class SqliteCampaignStore final : public CampaignStore {
 public:
  // `store` must outlive this object and be migrated (calls fail with kFailedPrecondition
  // until it is).
  explicit SqliteCampaignStore(SqliteStore& store) : store_(store) {}
  ~SqliteCampaignStore() override;

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

  SqliteStore& store_;
  // Called by SQLite after each commit on submit_conn_ with the WAL's size in pages.
  static int OnWalCommit(void* self, struct sqlite3* db, const char* name, int pages);
  void RunCheckpoints();

  std::mutex submit_mu_;                             // one SubmitResponses at a time
  std::unique_ptr<sqlite::Connection> submit_conn_;  // guarded by submit_mu_; opened on first use
  // The submission writer's checkpoints run on this thread and connection, off the writer's
  // path (see OnWalCommit); started with submit_conn_.
  std::unique_ptr<sqlite::Connection> checkpoint_conn_;
  std::thread checkpointer_;
  std::mutex checkpoint_mu_;
  std::condition_variable checkpoint_cv_;
  bool checkpoint_wanted_ = false;  // guarded by checkpoint_mu_
  bool stopping_ = false;           // guarded by checkpoint_mu_
};

}  // namespace trellis::storage
