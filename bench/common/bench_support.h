// bench/common/bench_support.h — what the seeding benchmarks (bench/submit, bench/report)
// share: stop with the failing step's message, and the audit entry their seeding writes.
// Benchmarks seed through the services and stores, never SQL, so a failure is a Status.
#pragma once

#include <cstdlib>
#include <iostream>
#include <string>
#include <utility>

#include "core/status.h"
#include "storage/directory_store.h"

namespace trellis::bench {

// Prints "TOOL: WHAT: STATUS" on stderr and exits 1.
[[noreturn]] inline void Die(const std::string& tool, const std::string& what, const Status& s) {
  std::cerr << tool << ": " << what << ": " << s.ToString() << "\n";
  std::exit(1);
}

// The audit entry of a benchmark's seeding in `partnership`, its detail naming `tool`.
inline storage::AuditEntry SeedAudit(const std::string& partnership, const std::string& tool) {
  storage::AuditEntry a;
  a.partnership_id = partnership;
  a.at = "2026-01-01T00:00:00Z";
  a.actor = "bench";
  a.action = "seed";
  a.entity_type = "people";
  a.entity_id = partnership;
  a.detail = tool;
  return a;
}

}  // namespace trellis::bench
