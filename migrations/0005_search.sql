-- Full-text search over patents (SQLite FTS5): title, abstract and claims, stemmed (Porter) and
-- Unicode-folded. Ingestion writes one row per patent; `number` joins back to patents.
CREATE VIRTUAL TABLE patent_text USING fts5(
  number UNINDEXED,
  title,
  abstract,
  claims,
  tokenize = 'porter unicode61'
);
