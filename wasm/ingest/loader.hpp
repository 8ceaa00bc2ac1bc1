// Loading parsed USPTO records into D1 with idempotent upserts: running a file twice leaves
// the same rows. A record's child rows (inventors, parties, citations, …) are replaced whole.
#pragma once

#include "bindings/d1.hpp"
#include "bindings/wire.hpp"
#include "wasm/ingest/uspto.hpp"
#include "wasm/runtime/task.hpp"

#include <vector>

namespace ptmc::ingest {

// The canonical entity id of a normalised name. (Grouping near-identical names under one id,
// serialised by a Durable Object per name shard, is the ingestion pipeline's next step.)
std::string entity_id(const std::string& normalized_name);

std::vector<d1::Statement> grant_statements(const Grant& grant, int64_t now_ms);
std::vector<d1::Statement> assignment_statements(const Assignment& assignment);
// A title list's lines, in file order, with each symbol's parent worked out from the order.
std::vector<d1::Statement> cpc_statements(const std::vector<CpcLine>& lines);
// The statements of one grant or assignment record; empty when the record is refused, with
// `problem` saying why.
std::vector<d1::Statement> record_statements(const std::string& source, const Record& record, int64_t now_ms,
                                             std::string& problem);
// Events are facts: a second load of the same event does nothing.
d1::Statement fee_event_statement(const FeeEventLine& event);

// The "ingest_file" command: meta {source: "grant" | "assignment" | "cpc" | "maintenance"} and
// the file as blob "file".
// Feeds the parser in chunks, loads what parses, and answers counts and each skipped record
// with its byte offset and reason.
Task<wire::Frame> ingest_file(wire::Frame input);

}  // namespace ptmc::ingest
