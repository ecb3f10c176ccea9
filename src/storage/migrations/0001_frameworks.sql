-- 0001_frameworks.sql — the framework library: frameworks shared by every partnership, each
-- code with numbered, immutable versions. A version is stored normalised (domains,
-- competencies, items, scale labels, role profiles, crosswalk) so later features can query
-- competencies and items with SQL. Rows are only ever inserted: a stored version is never
-- updated or deleted; "in use" is a separate row, so marking it changes no version row.
-- Portable to PostgreSQL: TEXT/INTEGER only, natural composite keys (no auto-increment),
-- timestamps as ISO 8601 UTC TEXT ("2026-01-01T09:30:00Z") written by the application.
-- Ordinals give the order of a row among its siblings (0-based).

CREATE TABLE frameworks (
  code TEXT NOT NULL PRIMARY KEY,
  created_at TEXT NOT NULL
);

CREATE TABLE framework_versions (
  framework_code TEXT NOT NULL REFERENCES frameworks (code),
  version INTEGER NOT NULL CHECK (version >= 1),
  title TEXT NOT NULL,
  description TEXT NOT NULL,
  scale_min INTEGER NOT NULL,
  scale_max INTEGER NOT NULL,
  created_at TEXT NOT NULL,
  PRIMARY KEY (framework_code, version)
);

CREATE TABLE framework_scale_labels (
  framework_code TEXT NOT NULL,
  version INTEGER NOT NULL,
  score INTEGER NOT NULL,
  label TEXT NOT NULL,
  PRIMARY KEY (framework_code, version, score),
  FOREIGN KEY (framework_code, version) REFERENCES framework_versions (framework_code, version)
);

CREATE TABLE framework_domains (
  framework_code TEXT NOT NULL,
  version INTEGER NOT NULL,
  domain_code TEXT NOT NULL,
  ordinal INTEGER NOT NULL,
  title TEXT NOT NULL,
  description TEXT NOT NULL,
  PRIMARY KEY (framework_code, version, domain_code),
  FOREIGN KEY (framework_code, version) REFERENCES framework_versions (framework_code, version)
);

CREATE TABLE framework_competencies (
  framework_code TEXT NOT NULL,
  version INTEGER NOT NULL,
  competency_code TEXT NOT NULL,
  domain_code TEXT NOT NULL,
  ordinal INTEGER NOT NULL,
  title TEXT NOT NULL,
  description TEXT NOT NULL,
  PRIMARY KEY (framework_code, version, competency_code),
  FOREIGN KEY (framework_code, version, domain_code)
    REFERENCES framework_domains (framework_code, version, domain_code)
);

CREATE TABLE framework_items (
  framework_code TEXT NOT NULL,
  version INTEGER NOT NULL,
  item_code TEXT NOT NULL,
  competency_code TEXT NOT NULL,
  ordinal INTEGER NOT NULL,
  item_text TEXT NOT NULL,
  PRIMARY KEY (framework_code, version, item_code),
  FOREIGN KEY (framework_code, version, competency_code)
    REFERENCES framework_competencies (framework_code, version, competency_code)
);

-- One row per role profile (level × function); keyed by ordinal so the stored order is kept.
CREATE TABLE framework_role_profiles (
  framework_code TEXT NOT NULL,
  version INTEGER NOT NULL,
  ordinal INTEGER NOT NULL,
  role_level TEXT NOT NULL,
  role_function TEXT NOT NULL,
  PRIMARY KEY (framework_code, version, ordinal),
  FOREIGN KEY (framework_code, version) REFERENCES framework_versions (framework_code, version)
);

CREATE TABLE framework_role_expectations (
  framework_code TEXT NOT NULL,
  version INTEGER NOT NULL,
  profile_ordinal INTEGER NOT NULL,
  competency_code TEXT NOT NULL,
  expected_level INTEGER NOT NULL,
  importance INTEGER NOT NULL,
  PRIMARY KEY (framework_code, version, profile_ordinal, competency_code),
  FOREIGN KEY (framework_code, version, profile_ordinal)
    REFERENCES framework_role_profiles (framework_code, version, ordinal),
  FOREIGN KEY (framework_code, version, competency_code)
    REFERENCES framework_competencies (framework_code, version, competency_code)
);

-- CASE associations that are not hierarchy, kept verbatim for round trips.
CREATE TABLE framework_crosswalk (
  framework_code TEXT NOT NULL,
  version INTEGER NOT NULL,
  ordinal INTEGER NOT NULL,
  origin_code TEXT NOT NULL,
  association_type TEXT NOT NULL,
  destination TEXT NOT NULL,
  PRIMARY KEY (framework_code, version, ordinal),
  FOREIGN KEY (framework_code, version) REFERENCES framework_versions (framework_code, version)
);

-- A version referenced by something that must not change under it (a campaign, later).
CREATE TABLE framework_versions_in_use (
  framework_code TEXT NOT NULL,
  version INTEGER NOT NULL,
  marked_at TEXT NOT NULL,
  PRIMARY KEY (framework_code, version),
  FOREIGN KEY (framework_code, version) REFERENCES framework_versions (framework_code, version)
);
