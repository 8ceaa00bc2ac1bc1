#include "wasm/ingest/cpc_loader.hpp"

#include "wasm/ingest/loader.hpp"

namespace ptmc::ingest {

std::optional<std::string> CpcParents::parent_of(const CpcLine& line) {
  const std::string& s = line.symbol;
  if (!line.level) {  // class -> section, subclass -> class; a section has none
    if (s.size() == 1) return std::nullopt;
    return s.size() == 3 ? s.substr(0, 1) : s.substr(0, 3);
  }
  auto level = static_cast<size_t>(*line.level);
  std::optional<std::string> parent;
  if (level == 0) parent = s.substr(0, 4);  // a main group's parent is its subclass
  else if (level <= by_level_.size()) parent = by_level_[level - 1];
  by_level_.resize(level + 1);
  by_level_[level] = s;
  return parent;
}

void CpcParents::restore(const Json& state) {
  by_level_.clear();
  if (!state.is_array()) return;
  for (const Json& symbol : state) by_level_.push_back(symbol.is_string() ? symbol.get<std::string>() : "");
}

d1::Statement cpc_staging_statement(const std::string& job_id, const CpcLine& line, const std::optional<std::string>& parent) {
  return {
      "INSERT INTO cpc_staging (job_id, symbol, level, title, parent) VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT DO UPDATE "
      "SET level = excluded.level, title = excluded.title, parent = excluded.parent",
      {job_id, line.symbol, line.level ? Json(*line.level) : Json(), line.title, parent ? Json(*parent) : Json()}};
}

std::vector<d1::Statement> cpc_swap_statements(const std::string& job_id) {
  return {
      // Symbols the new scheme dropped, in the sections it covers (a job may bring a few).
      {"DELETE FROM cpc_codes WHERE substr(symbol, 1, 1) IN (SELECT DISTINCT substr(symbol, 1, 1) FROM cpc_staging WHERE "
       "job_id = ?1) AND symbol NOT IN (SELECT symbol FROM cpc_staging WHERE job_id = ?1)",
       {job_id}},
      {"INSERT INTO cpc_codes (symbol, level, title, parent) SELECT symbol, level, title, parent FROM cpc_staging WHERE "
       "job_id = ?1 ORDER BY symbol ON CONFLICT (symbol) DO UPDATE SET level = excluded.level, title = excluded.title, "
       "parent = excluded.parent WHERE (cpc_codes.level, cpc_codes.title, cpc_codes.parent) IS NOT (excluded.level, "
       "excluded.title, excluded.parent)",
       {job_id}},
      {"DELETE FROM cpc_staging WHERE job_id = ?1", {job_id}},
  };
}

Json cpc_master_row(const CpcMasterLine& line) { return Json::array({line.patent_number, line.symbol, line.position}); }

void cpc_master_staging_statements(std::vector<d1::Statement>& out, const std::string& job_id, const std::vector<Json>& rows) {
  row_statements(out,
                 "INSERT INTO patent_cpc_staging (job_id, patent_number, symbol, position) SELECT ?1, column1, column2, "
                 "column3 FROM ",
                 rows,
                 " WHERE EXISTS (SELECT 1 FROM patents WHERE number = column1) ON CONFLICT DO UPDATE SET position = "
                 "min(position, excluded.position)",
                 Json::array({job_id}));
}

std::vector<d1::Statement> cpc_master_swap_statements(const std::string& job_id) {
  return {
      {"DELETE FROM patent_cpc WHERE patent_number IN (SELECT patent_number FROM patent_cpc_staging WHERE job_id = ?1)",
       {job_id}},
      {"INSERT INTO patent_cpc (patent_number, symbol, position) SELECT s.patent_number, s.symbol, s.position FROM "
       "patent_cpc_staging s JOIN patents p ON p.number = s.patent_number WHERE s.job_id = ?1",
       {job_id}},
      {"DELETE FROM patent_cpc_staging WHERE job_id = ?1", {job_id}},
  };
}

std::vector<d1::Statement> clear_staged_cpc_statements(const std::string& job_id) {
  return {{"DELETE FROM cpc_staging WHERE job_id = ?1", {job_id}},
          {"DELETE FROM patent_cpc_staging WHERE job_id = ?1", {job_id}}};
}

}  // namespace ptmc::ingest
