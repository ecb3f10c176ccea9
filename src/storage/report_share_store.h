// storage/report_share_store.h — a subject's consent to show their individual report of one
// campaign to another staff account of the partnership (a line manager or coach): the
// report_shares table of migrations/0005_report_shares.sql. Used by service/report_service.h,
// which decides who may share and writes the audit entries.
// Tenancy: every method takes the partnership and never reads or writes another's rows.
// Safe for concurrent use from many threads; each method is atomic. Every method returns
// kFailedPrecondition when migrations are pending and kUnavailable on I/O errors.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "storage/store.h"

namespace trellis::storage {

struct ReportShare {
  std::string partnership_id;
  std::string campaign_id;
  std::string subject_id;  // the person whose report it is
  std::string account_id;  // the account allowed to see it
  std::string shared_at;   // UTC text
};

class ReportShareStore {
 public:
  virtual ~ReportShareStore() = default;

  // Records `share`. kAlreadyExists if that account already has this report shared with it;
  // kNotFound if the campaign, the subject (as a subject of the campaign) or the account is not
  // in the partnership.
  virtual Status AddShare(const ReportShare& share) = 0;
  // Removes a share. kNotFound if there is none.
  virtual Status RemoveShare(std::string_view partnership_id, std::string_view campaign_id,
                             std::string_view subject_id, std::string_view account_id) = 0;
  // The shares of one report, by shared_at then account id.
  virtual Result<std::vector<ReportShare>> SharesOfReport(std::string_view partnership_id,
                                                          std::string_view campaign_id,
                                                          std::string_view subject_id) = 0;
  // The reports shared with an account, by shared_at then campaign, subject.
  virtual Result<std::vector<ReportShare>> SharesWithAccount(std::string_view partnership_id,
                                                             std::string_view account_id) = 0;
};

// The ReportShareStore on the same database as `store`, which must outlive it.
// kFailedPrecondition if `store` is of no known backend (SQLite, PostgreSQL).
Result<std::unique_ptr<ReportShareStore>> OpenReportShareStore(Store& store);

}  // namespace trellis::storage
