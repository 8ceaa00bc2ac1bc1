// Loading a CPC title list (each line's parent, and the staged scheme swapped in whole) and the
// CPC master classification file (each patent's symbols staged, then swapped in together).
#pragma once

#include "bindings/d1.hpp"
#include "wasm/ingest/uspto.hpp"

#include <optional>
#include <string>
#include <vector>

namespace ptmc::ingest {

// CPC title lists: each symbol's parent follows from the lines before it, so the loader keeps
// the latest group at each level (and saves it with each checkpoint, to resume from it).
class CpcParents {
 public:
  std::optional<std::string> parent_of(const CpcLine& line);  // and remember the line
  Json state() const { return by_level_; }
  void restore(const Json& state);

 private:
  std::vector<std::string> by_level_;
};
// A title staged for job `job_id`.
d1::Statement cpc_staging_statement(const std::string& job_id, const CpcLine& line, const std::optional<std::string>& parent);
// Replaces cpc_codes from the job's staged titles, in the sections they cover, then clears
// them. Run as one batch (one transaction), so a reader never sees half a scheme.
std::vector<d1::Statement> cpc_swap_statements(const std::string& job_id);

// Master-file lines for job `job_id`, staged for the patents held (the file names every US
// utility patent since 1790), as rows [number, symbol, position] in few statements.
Json cpc_master_row(const CpcMasterLine& line);
void cpc_master_staging_statements(std::vector<d1::Statement>& out, const std::string& job_id, const std::vector<Json>& rows);
// Every patent with staged symbols gets exactly those, in one batch (one transaction); then
// the staging is cleared.
std::vector<d1::Statement> cpc_master_swap_statements(const std::string& job_id);
// What a run from the start clears: an earlier run's staged titles or symbols.
std::vector<d1::Statement> clear_staged_cpc_statements(const std::string& job_id);

}  // namespace ptmc::ingest
