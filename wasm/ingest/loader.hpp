// Loading parsed USPTO records into D1 with idempotent upserts: running a file twice leaves
// the same rows. A record's child rows (inventors, parties, citations, …) are replaced whole.
#pragma once

#include "bindings/d1.hpp"
#include "wasm/ingest/entities.hpp"
#include "wasm/ingest/uspto.hpp"
#include "wasm/runtime/task.hpp"

#include <set>
#include <variant>
#include <vector>

namespace ptmc::ingest {

using ParsedRecord = std::variant<PatentDocument, Assignment>;

// The record kept from a file's root elements: <us-patent-grant>, <us-patent-application> or
// <patent-assignment>.
std::optional<ParsedRecord> parse_record(const Record& record, std::string& problem);
// The normalised owner names a record's statements need entities for.
void collect_entity_names(const ParsedRecord& record, std::set<std::string>& names);
// The statements that load a batch of records, in few statements: D1's cost is per statement.
std::vector<d1::Statement> batch_statements(const std::vector<ParsedRecord>& records, const EntityResolver& entities,
                                            int64_t now_ms);

// `rows` (JSON arrays of one width), as the table (column1, column2, …) between `before` and
// `after`, in as many statements as fit D1's value limit (none for no rows): the rows of a
// statement travel as one JSON parameter. `fixed` are each statement's own leading parameters
// (?1, …); the rows are the one after them.
void row_statements(std::vector<d1::Statement>& out, const std::string& before, const std::vector<Json>& rows,
                    const std::string& after, const Json& fixed = Json::array());

// Fee events are facts: a second load of the same one does nothing (and makes no event).
std::vector<d1::Statement> fee_event_statements(const FeeEventLine& event, int64_t now_ms);

}  // namespace ptmc::ingest
