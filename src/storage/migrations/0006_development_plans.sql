-- 0006_development_plans.sql — development plans (docs/plans.md): a partnership's catalogue of
-- learning resources tagged by competency code; a person's development plans, each started from
-- a campaign they were assessed in, with priority competencies and their goals, actions (owner,
-- due date, status, when last reminded), evidence notes, shares with a line manager or coach
-- (an account of the partnership) and comments.
-- Portable to PostgreSQL: TEXT/INTEGER only, text ids made by the application (core/ids.h),
-- timestamps as ISO 8601 UTC TEXT ("2026-01-01T09:30:00Z"), dates as "2026-01-31".
-- Tenancy: resources and plans name their partnership; a plan's parts reach it through the
-- plan, and the store scopes every query by it. Composite foreign keys tie a plan to a person,
-- a campaign's partnership and a share to an account of the same partnership.
-- Depends on 0002 (partnerships, people, accounts) and 0003 (campaigns).

CREATE TABLE learning_resources (
  id TEXT NOT NULL PRIMARY KEY,
  partnership_id TEXT NOT NULL REFERENCES partnerships (id),
  title TEXT NOT NULL,
  url TEXT NOT NULL,          -- '' when the resource is described rather than linked
  description TEXT NOT NULL,  -- '' when none
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  UNIQUE (partnership_id, id)
);

CREATE TABLE learning_resource_tags (
  resource_id TEXT NOT NULL REFERENCES learning_resources (id),
  competency_code TEXT NOT NULL,
  PRIMARY KEY (resource_id, competency_code)
);
CREATE INDEX learning_resource_tags_by_code ON learning_resource_tags (competency_code);

CREATE TABLE development_plans (
  id TEXT NOT NULL PRIMARY KEY,
  partnership_id TEXT NOT NULL REFERENCES partnerships (id),
  person_id TEXT NOT NULL,
  campaign_id TEXT NOT NULL REFERENCES campaigns (id),
  framework_code TEXT NOT NULL,
  framework_version INTEGER NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  UNIQUE (partnership_id, id),
  FOREIGN KEY (partnership_id, person_id) REFERENCES people (partnership_id, id)
);
CREATE INDEX development_plans_by_person ON development_plans (partnership_id, person_id);

-- ordinal: the order the owner chose them in (0, 1, 2 …).
CREATE TABLE plan_priorities (
  plan_id TEXT NOT NULL REFERENCES development_plans (id),
  competency_code TEXT NOT NULL,
  ordinal INTEGER NOT NULL,
  goal TEXT NOT NULL,
  PRIMARY KEY (plan_id, competency_code)
);

-- competency_code: the priority the action serves. owner: who does it, in words ("me", a name).
-- due_on: ISO date. last_reminded_at: when an overdue reminder last went out, or NULL.
CREATE TABLE plan_actions (
  id TEXT NOT NULL PRIMARY KEY,
  plan_id TEXT NOT NULL REFERENCES development_plans (id),
  competency_code TEXT NOT NULL,
  description TEXT NOT NULL,
  owner TEXT NOT NULL,
  due_on TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('not_started', 'in_progress', 'done', 'dropped')),
  last_reminded_at TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  FOREIGN KEY (plan_id, competency_code) REFERENCES plan_priorities (plan_id, competency_code)
);
CREATE INDEX plan_actions_by_due ON plan_actions (due_on, status);

CREATE TABLE plan_evidence (
  id TEXT NOT NULL PRIMARY KEY,
  plan_id TEXT NOT NULL REFERENCES development_plans (id),
  competency_code TEXT NOT NULL,
  note TEXT NOT NULL,
  created_at TEXT NOT NULL,
  FOREIGN KEY (plan_id, competency_code) REFERENCES plan_priorities (plan_id, competency_code)
);

-- partnership_id repeats the plan's so the account must belong to the same partnership.
CREATE TABLE plan_shares (
  plan_id TEXT NOT NULL,
  partnership_id TEXT NOT NULL,
  account_id TEXT NOT NULL,
  role TEXT NOT NULL CHECK (role IN ('line_manager', 'coach')),
  shared_at TEXT NOT NULL,
  PRIMARY KEY (plan_id, account_id),
  FOREIGN KEY (partnership_id, plan_id) REFERENCES development_plans (partnership_id, id),
  FOREIGN KEY (partnership_id, account_id) REFERENCES accounts (partnership_id, id)
);
CREATE INDEX plan_shares_by_account ON plan_shares (account_id);

-- author_account_id: the owner's account or a shared reader's. A revoked reader's comments stay.
CREATE TABLE plan_comments (
  id TEXT NOT NULL PRIMARY KEY,
  plan_id TEXT NOT NULL REFERENCES development_plans (id),
  author_account_id TEXT NOT NULL REFERENCES accounts (id),
  body TEXT NOT NULL,
  created_at TEXT NOT NULL
);
CREATE INDEX plan_comments_by_plan ON plan_comments (plan_id, created_at);
