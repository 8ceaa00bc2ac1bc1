// Loading parsed USPTO records into D1 with idempotent upserts: running a file twice leaves
// the same rows. A record's child rows (inventors, parties, citations, …) are replaced whole.
#pragma once

#include "bindings/d1.hpp"
#include "wasm/ingest/uspto.hpp"
#include "wasm/runtime/task.hpp"

#include <map>
#include <set>
#include <variant>
#include <vector>

namespace ptmc::ingest {

// The canonical entities of normalised names, chosen by the name-shard Durable Objects
// (binding ENTITIES, one object per patents::name_shard) and remembered for the run, since
// the same owners recur record after record.
class EntityResolver {
 public:
  struct Entity {
    std::string id, canonical;  // canonical: the normalised name the entity was created under
  };
  // Asks the objects about every name not known yet: all shards in one round trip.
  Task<void> resolve(std::set<std::string> names);
  // A resolved name's entity.
  Entity operator[](const std::string& name) const;

 private:
  static constexpr size_t kMaxKnown = 50'000;  // then forgotten, and asked again
  std::map<std::string, Entity> known_;
};

// The id a name-shard object gives a name that matches no known entity.
std::string new_entity_id(const std::string& normalized_name);

using ParsedRecord = std::variant<PatentDocument, Assignment>;

// The record kept from a file's root elements: <us-patent-grant>, <us-patent-application> or
// <patent-assignment>.
std::optional<ParsedRecord> parse_record(const Record& record, std::string& problem);
// The normalised owner names a record's statements need entities for.
void collect_entity_names(const ParsedRecord& record, std::set<std::string>& names);
// The statements that load a batch of records, in few statements: D1's cost is per statement.
std::vector<d1::Statement> batch_statements(const std::vector<ParsedRecord>& records, const EntityResolver& entities,
                                            int64_t now_ms);

// Fee events are facts: a second load of the same one does nothing (and makes no event).
std::vector<d1::Statement> fee_event_statements(const FeeEventLine& event, int64_t now_ms);

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

}  // namespace ptmc::ingest
