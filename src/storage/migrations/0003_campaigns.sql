-- 0003_campaigns.sql — 360 assessment campaigns: a campaign of one partnership on one stored
-- framework version; its subjects (people of that partnership); nominations tying a rater to a
-- subject with a group, each with the SHA-256 hash of its link token (never the token); and the
-- raters' responses (an autosaved draft until submitted), their answers and domain comments.
-- Portable to PostgreSQL: TEXT/INTEGER only, text ids made by the application (core/ids.h),
-- timestamps as ISO 8601 UTC TEXT ("2026-01-01T09:30:00Z"), dates as "2026-01-31".
-- Tenancy: every row reaches its partnership through campaigns.partnership_id; the store scopes
-- every query by it. Depends on 0001 (framework_versions) and 0002 (partnerships, people).

CREATE TABLE campaigns (
  id TEXT NOT NULL PRIMARY KEY,
  partnership_id TEXT NOT NULL REFERENCES partnerships (id),
  name TEXT NOT NULL,
  framework_code TEXT NOT NULL,
  framework_version INTEGER NOT NULL,
  opens_on TEXT NOT NULL,
  closes_on TEXT NOT NULL,
  min_group INTEGER NOT NULL CHECK (min_group >= 2),
  context_check INTEGER NOT NULL CHECK (context_check IN (0, 1)),
  state TEXT NOT NULL CHECK (state IN ('draft', 'open', 'closed', 'released')),
  created_at TEXT NOT NULL,
  opened_at TEXT,
  closed_at TEXT,
  released_at TEXT,
  FOREIGN KEY (framework_code, framework_version)
    REFERENCES framework_versions (framework_code, version)
);
CREATE INDEX campaigns_by_partnership ON campaigns (partnership_id);

CREATE TABLE campaign_subjects (
  campaign_id TEXT NOT NULL REFERENCES campaigns (id),
  person_id TEXT NOT NULL REFERENCES people (id),
  PRIMARY KEY (campaign_id, person_id)
);

-- rater_email is stored lower-case, so the uniqueness below ignores case. rater_person_id is
-- NULL for an external rater (a community member is not a Person). status: 'proposed' (by the
-- subject), 'approved', 'declined'. token_hash: lower-case hex SHA-256 of the link token, NULL
-- until a link is issued; re-issuing overwrites it, which invalidates the old link.
CREATE TABLE nominations (
  id TEXT NOT NULL PRIMARY KEY,
  campaign_id TEXT NOT NULL,
  subject_id TEXT NOT NULL,
  rater_person_id TEXT REFERENCES people (id),
  rater_name TEXT NOT NULL,
  rater_email TEXT NOT NULL,
  grp TEXT NOT NULL
    CHECK (grp IN ('self', 'manager', 'peer', 'direct_report', 'partner', 'community', 'other')),
  status TEXT NOT NULL CHECK (status IN ('proposed', 'approved', 'declined')),
  token_hash TEXT UNIQUE,
  invited_at TEXT,
  reminded_at TEXT,
  submitted_at TEXT,
  UNIQUE (campaign_id, subject_id, rater_email),
  UNIQUE (campaign_id, subject_id, rater_person_id),
  FOREIGN KEY (campaign_id, subject_id) REFERENCES campaign_subjects (campaign_id, person_id)
);

-- One response per nomination: a draft (submitted = 0) until submitted (1), after which it is
-- never changed. submission_key: the key the questionnaire form carried when it was submitted,
-- so a retried POST with the same key is recognised rather than refused or doubled.
CREATE TABLE responses (
  nomination_id TEXT NOT NULL PRIMARY KEY REFERENCES nominations (id),
  submitted INTEGER NOT NULL CHECK (submitted IN (0, 1)),
  saved_at TEXT NOT NULL,
  submission_key TEXT
);

-- score NULL: "not observed". item_code is a framework or context-check item code.
CREATE TABLE response_answers (
  nomination_id TEXT NOT NULL REFERENCES responses (nomination_id),
  item_code TEXT NOT NULL,
  score INTEGER,
  PRIMARY KEY (nomination_id, item_code)
);

CREATE TABLE response_comments (
  nomination_id TEXT NOT NULL REFERENCES responses (nomination_id),
  domain_code TEXT NOT NULL,
  comment_text TEXT NOT NULL,
  PRIMARY KEY (nomination_id, domain_code)
);
