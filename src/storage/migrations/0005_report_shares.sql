-- 0005_report_shares.sql — a subject's consent to show their individual report of one campaign
-- to another staff account of the same partnership (a line manager or coach). A row is the
-- consent; revoking deletes it (the audit log keeps the history). Portable to PostgreSQL:
-- TEXT only, timestamps as ISO 8601 UTC TEXT. Depends on 0002 (accounts) and 0003 (campaign
-- subjects).

CREATE TABLE report_shares (
  partnership_id TEXT NOT NULL REFERENCES partnerships (id),
  campaign_id TEXT NOT NULL,
  subject_id TEXT NOT NULL,
  account_id TEXT NOT NULL,
  shared_at TEXT NOT NULL,
  PRIMARY KEY (campaign_id, subject_id, account_id),
  FOREIGN KEY (campaign_id, subject_id) REFERENCES campaign_subjects (campaign_id, person_id),
  FOREIGN KEY (partnership_id, account_id) REFERENCES accounts (partnership_id, id)
);
CREATE INDEX report_shares_by_account ON report_shares (partnership_id, account_id);
