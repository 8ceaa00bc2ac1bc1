-- Patent data: US grants and published applications, their parties, classification, citations,
-- recorded assignments and maintenance-fee events, and organisations' portfolios.
-- Loaded by ingestion (idempotent upserts); dates are ISO 8601 text (YYYY-MM-DD), which sorts.
-- Every list filter of the API has an index that ends in the list's sort key, so a page costs
-- the same at any depth (keyset pagination).

-- number: the canonical document number without country or kind: "10000001", "D656296",
-- "RE45123", "PP12345" for grants; the 11-digit publication number "20120123456" for applications.
CREATE TABLE patents (
  number              TEXT PRIMARY KEY,
  country             TEXT NOT NULL DEFAULT 'US',
  kind                TEXT NOT NULL,                  -- B1, B2, S1, E, P2, A1, ...
  document_type       TEXT NOT NULL CHECK (document_type IN ('grant', 'application')),
  title               TEXT NOT NULL,
  abstract            TEXT,
  application_number  TEXT,
  filing_date         TEXT,
  publication_date    TEXT,
  grant_date          TEXT,
  claims_count        INTEGER,
  updated_at          INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX patents_by_grant_date ON patents (grant_date, number);
CREATE INDEX patents_by_filing_date ON patents (filing_date, number);
CREATE INDEX patents_by_kind_grant_date ON patents (kind, grant_date, number);
CREATE INDEX patents_by_application ON patents (application_number);

CREATE TABLE inventors (
  patent_number  TEXT NOT NULL REFERENCES patents (number),
  sequence       INTEGER NOT NULL,
  first_name     TEXT,
  last_name      TEXT NOT NULL,
  city           TEXT,
  state          TEXT,
  country        TEXT,
  PRIMARY KEY (patent_number, sequence)
) WITHOUT ROWID;

-- A canonical entity (id "ent_…"), chosen by the name-shard Durable Object so that one
-- normalised name never gets two ids.
CREATE TABLE assignees (
  id               TEXT PRIMARY KEY,
  name             TEXT NOT NULL,
  normalized_name  TEXT NOT NULL UNIQUE,
  country          TEXT,
  created_at       INTEGER NOT NULL
);

CREATE TABLE patent_assignees (
  patent_number  TEXT NOT NULL REFERENCES patents (number),
  assignee_id    TEXT NOT NULL REFERENCES assignees (id),
  sequence       INTEGER NOT NULL,
  name_as_filed  TEXT NOT NULL,
  PRIMARY KEY (patent_number, assignee_id)
) WITHOUT ROWID;
CREATE INDEX patent_assignees_by_assignee ON patent_assignees (assignee_id, patent_number);

-- The CPC scheme from the title lists: symbol ("A01B1/00"), level, title, parent symbol.
-- level is the title list's: 0 for a main group, the number of dots for a subgroup, null for
-- sections, classes and subclasses.
CREATE TABLE cpc_codes (
  symbol  TEXT PRIMARY KEY,
  level   INTEGER,
  title   TEXT NOT NULL,
  parent  TEXT
) WITHOUT ROWID;
CREATE INDEX cpc_codes_by_parent ON cpc_codes (parent, symbol);

CREATE TABLE patent_cpc (
  patent_number  TEXT NOT NULL REFERENCES patents (number),
  symbol         TEXT NOT NULL,
  position       INTEGER NOT NULL,     -- 0: the first (inventive) classification
  PRIMARY KEY (patent_number, symbol)
) WITHOUT ROWID;
-- A CPC prefix filter is a range on symbol ("H01L" <= symbol < "H01M").
CREATE INDEX patent_cpc_by_symbol ON patent_cpc (symbol, patent_number);

CREATE TABLE citations (
  citing_number  TEXT NOT NULL REFERENCES patents (number),
  sequence       INTEGER NOT NULL,
  cited_number   TEXT NOT NULL,       -- canonical when US, as printed otherwise
  cited_country  TEXT NOT NULL,
  cited_kind     TEXT,
  cited_date     TEXT,
  category       TEXT,                -- "cited by examiner", "cited by applicant", ...
  PRIMARY KEY (citing_number, sequence)
) WITHOUT ROWID;
CREATE INDEX citations_by_cited ON citations (cited_number, citing_number);

-- Recorded assignments (USPTO Assignment Recordation): id is "reel-frame".
CREATE TABLE assignments (
  id                     TEXT PRIMARY KEY,
  reel                   INTEGER NOT NULL,
  frame                  INTEGER NOT NULL,
  conveyance_text        TEXT NOT NULL,
  conveyance_type        TEXT NOT NULL,
  recorded_date          TEXT NOT NULL,
  last_update_date       TEXT,
  page_count             INTEGER,
  correspondent_name     TEXT,
  correspondent_address  TEXT,
  UNIQUE (reel, frame)
);

CREATE TABLE assignment_parties (
  assignment_id    TEXT NOT NULL REFERENCES assignments (id),
  role             TEXT NOT NULL CHECK (role IN ('assignor', 'assignee')),
  sequence         INTEGER NOT NULL,
  name             TEXT NOT NULL,
  normalized_name  TEXT NOT NULL,
  entity_id        TEXT REFERENCES assignees (id),
  execution_date   TEXT,
  address          TEXT,
  PRIMARY KEY (assignment_id, role, sequence)
) WITHOUT ROWID;
CREATE INDEX assignment_parties_by_entity ON assignment_parties (entity_id, assignment_id);

-- The documents an assignment conveys: patents by number, applications by application number.
CREATE TABLE assignment_properties (
  assignment_id       TEXT NOT NULL REFERENCES assignments (id),
  sequence            INTEGER NOT NULL,
  patent_number       TEXT,
  application_number  TEXT,
  publication_number  TEXT,
  title               TEXT,
  PRIMARY KEY (assignment_id, sequence)
) WITHOUT ROWID;
CREATE INDEX assignment_properties_by_patent ON assignment_properties (patent_number, assignment_id);
CREATE INDEX assignment_properties_by_application ON assignment_properties (application_number, assignment_id);

CREATE TABLE maintenance_fee_events (
  patent_number       TEXT NOT NULL,
  application_number  TEXT NOT NULL,
  entity_status       TEXT NOT NULL CHECK (entity_status IN ('N', 'Y', 'M')),
  filing_date         TEXT,
  grant_date          TEXT,
  event_date          TEXT NOT NULL,
  event_code          TEXT NOT NULL,
  PRIMARY KEY (patent_number, event_date, event_code)
) WITHOUT ROWID;

CREATE TABLE portfolios (
  id           TEXT PRIMARY KEY,
  org_id       TEXT NOT NULL REFERENCES organisations (id),
  name         TEXT NOT NULL,
  description  TEXT,
  created_at   INTEGER NOT NULL,
  updated_at   INTEGER NOT NULL
);
CREATE INDEX portfolios_by_org ON portfolios (org_id, created_at, id);

CREATE TABLE portfolio_patents (
  portfolio_id   TEXT NOT NULL REFERENCES portfolios (id),
  patent_number  TEXT NOT NULL,
  added_at       INTEGER NOT NULL,
  PRIMARY KEY (portfolio_id, patent_number)
) WITHOUT ROWID;
CREATE INDEX portfolio_patents_by_patent ON portfolio_patents (patent_number, portfolio_id);
