-- 0002_directory.sql — the partnership directory and staff access: partnerships (the tenants),
-- their organisations and people, staff accounts, sign-in sessions, failed sign-ins, and the
-- audit log of changes.
-- Portable to PostgreSQL: TEXT/INTEGER only, text ids made by the application (core/ids.h),
-- timestamps as ISO 8601 UTC TEXT ("2026-01-01T09:30:00Z") written by the application.
-- Tenancy: every row names its partnership (sessions and login_failures through their
-- account). Composite foreign keys (partnership_id, x_id) make it impossible to link a row to
-- an organisation, person or account of another partnership, whatever the application does.
-- email_lower is the email lower-cased (ASCII) by the store, so uniqueness ignores case.

CREATE TABLE partnerships (
  id TEXT NOT NULL PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  created_at TEXT NOT NULL
);

CREATE TABLE organisations (
  id TEXT NOT NULL PRIMARY KEY,
  partnership_id TEXT NOT NULL REFERENCES partnerships (id),
  name TEXT NOT NULL,
  sector TEXT NOT NULL CHECK (sector IN ('acute', 'primary_care', 'community_health',
    'mental_health', 'social_care', 'local_authority', 'voluntary', 'housing', 'other')),
  created_at TEXT NOT NULL,
  UNIQUE (partnership_id, name),
  UNIQUE (partnership_id, id)
);

-- An erased person (erasure request) keeps a tombstone: id, partnership, organisation, level
-- and function stay so campaign records that reference the id stay consistent; name becomes
-- '' and email, email_lower and line_manager_id NULL (several NULLs never clash in UNIQUE).
CREATE TABLE people (
  id TEXT NOT NULL PRIMARY KEY,
  partnership_id TEXT NOT NULL REFERENCES partnerships (id),
  organisation_id TEXT NOT NULL,
  name TEXT NOT NULL,
  email TEXT,
  email_lower TEXT,
  level TEXT NOT NULL CHECK (level IN ('strategic', 'operational')),
  function TEXT NOT NULL
    CHECK (function IN ('generalist', 'clinical', 'hr', 'finance', 'it', 'data', 'other')),
  line_manager_id TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  erased_at TEXT,
  UNIQUE (partnership_id, email_lower),
  UNIQUE (partnership_id, id),
  FOREIGN KEY (partnership_id, organisation_id) REFERENCES organisations (partnership_id, id),
  FOREIGN KEY (partnership_id, line_manager_id) REFERENCES people (partnership_id, id)
);
CREATE INDEX people_by_organisation ON people (partnership_id, organisation_id);

-- One email signs in to exactly one partnership: email_lower is unique across partnerships, so
-- sign-in needs only email and password. password_hash is a libsodium crypto_pwhash_str string
-- ("$argon2id$v=19$m=…,t=…,p=1$…"), never a password.
CREATE TABLE accounts (
  id TEXT NOT NULL PRIMARY KEY,
  partnership_id TEXT NOT NULL REFERENCES partnerships (id),
  email TEXT NOT NULL,
  email_lower TEXT NOT NULL UNIQUE,
  display_name TEXT NOT NULL,
  role TEXT NOT NULL CHECK (role IN ('admin', 'member', 'board')),
  person_id TEXT,
  password_hash TEXT NOT NULL,
  created_at TEXT NOT NULL,
  UNIQUE (partnership_id, email_lower),
  UNIQUE (partnership_id, id),
  FOREIGN KEY (partnership_id, person_id) REFERENCES people (partnership_id, id)
);

-- id_hash: lower-case hex SHA-256 of the session token; the token itself is never stored.
CREATE TABLE sessions (
  id_hash TEXT NOT NULL PRIMARY KEY,
  account_id TEXT NOT NULL REFERENCES accounts (id),
  csrf_token TEXT NOT NULL,
  created_at TEXT NOT NULL,
  last_seen_at TEXT NOT NULL,
  expires_at TEXT NOT NULL
);
CREATE INDEX sessions_by_account ON sessions (account_id);

CREATE TABLE login_failures (
  account_id TEXT NOT NULL REFERENCES accounts (id),
  at TEXT NOT NULL
);
CREATE INDEX login_failures_by_account ON login_failures (account_id, at);

-- Append-only. seq numbers a partnership's entries 1, 2, 3 … in the order they were written
-- (timestamps have one-second resolution). actor: an account id, or "cli". detail names what
-- changed (field names, counts), never personal values, so erasing a person needs no rewrite.
CREATE TABLE audit_log (
  id TEXT NOT NULL PRIMARY KEY,
  partnership_id TEXT NOT NULL REFERENCES partnerships (id),
  seq INTEGER NOT NULL,
  at TEXT NOT NULL,
  actor TEXT NOT NULL,
  action TEXT NOT NULL,
  entity_type TEXT NOT NULL,
  entity_id TEXT NOT NULL,
  detail TEXT NOT NULL,
  UNIQUE (partnership_id, seq)
);
