// service/audit_batcher.cc — see audit_batcher.h: a GroupCommit whose commit is one
// DirectoryStore::AppendAudits call; its Status answers every entry of the batch.
#include "service/audit_batcher.h"

#include <utility>
#include <vector>

namespace trellis::service {

AuditBatcher::AuditBatcher(storage::DirectoryStore& store, Options options)
    : commit_(
          [&store](std::vector<storage::AuditEntry>& entries) -> Result<std::vector<Status>> {
            Status stored = store.AppendAudits(entries);
            if (!stored.ok()) return stored;
            return std::vector<Status>(entries.size(), Status::Ok());
          },
          options.max_batch, "appending to the audit log",
          "the server is shutting down; open the report again shortly") {}

AuditBatcher::~AuditBatcher() { Shutdown(); }

std::future<Status> AuditBatcher::Enqueue(storage::AuditEntry entry) {
  return commit_.Enqueue(std::move(entry));
}

Status AuditBatcher::Append(storage::AuditEntry entry) { return Enqueue(std::move(entry)).get(); }

void AuditBatcher::Shutdown() { commit_.Shutdown(); }

size_t AuditBatcher::batches() const { return commit_.batches(); }

}  // namespace trellis::service
