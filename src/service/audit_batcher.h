// service/audit_batcher.h — group commit for audit entries that change nothing else stored
// (report views and exports). Server threads hand an AuditEntry to Append() and block; one
// writer thread takes everything queued (up to max_batch) and stores it with a single
// DirectoryStore::AppendAudits call, i.e. one durable transaction (one fsync) for the whole
// batch. A caller is answered only after its batch has committed, so "the report is shown only
// once its view is in the audit log" holds exactly as with AppendAudit. A failed commit fails
// every entry of its batch (AppendAudits is all or nothing). Thread-safe. Destruction (or
// Shutdown) stores what is queued, then stops the writer. The loop is service/group_commit.h.
#pragma once

#include <cstddef>
#include <future>

#include "core/status.h"
#include "service/group_commit.h"
#include "storage/directory_store.h"

namespace trellis::service {

class AuditBatcher {
 public:
  struct Options {
    size_t max_batch = 256;  // entries per transaction, ≥ 1
  };

  // `store` must outlive the batcher. Starts the writer thread.
  explicit AuditBatcher(storage::DirectoryStore& store) : AuditBatcher(store, Options{}) {}
  AuditBatcher(storage::DirectoryStore& store, Options options);
  // Shutdown(), then joins the writer.
  ~AuditBatcher();
  AuditBatcher(const AuditBatcher&) = delete;
  AuditBatcher& operator=(const AuditBatcher&) = delete;

  // Queues `entry` and blocks until its batch is committed. Returns what AppendAudits returned
  // for the batch (OK: the entry is durably in the log), or kUnavailable once shut down.
  Status Append(storage::AuditEntry entry);

  // As Append, without blocking: the future is ready once the batch has committed.
  std::future<Status> Enqueue(storage::AuditEntry entry);

  // Stops taking entries (later ones get kUnavailable), stores those already queued, and
  // returns when they are all answered. Idempotent; safe from any thread but the writer.
  void Shutdown();

  // Transactions committed so far (for tests and benchmarks).
  size_t batches() const;

 private:
  GroupCommit<storage::AuditEntry, Status> commit_;
};

}  // namespace trellis::service
