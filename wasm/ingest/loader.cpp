#include "wasm/ingest/loader.hpp"

#include "wasm/events/events.hpp"
#include "wasm/patents/names.hpp"
#include "wasm/runtime/services.hpp"

namespace ptmc::ingest {
namespace {

Json text_or_null(const std::string& text) { return text.empty() ? Json() : Json(text); }

// The rows of one statement travel as one JSON parameter (D1 binds at most 100 values per
// statement, and its cost is per statement): at most this much JSON, well inside D1's 2 MB
// value limit; a bigger row goes alone.
constexpr size_t kMaxRowsJsonBytes = 512 * 1024;

}  // namespace

void row_statements(std::vector<d1::Statement>& out, const std::string& before, const std::vector<Json>& rows,
                    const std::string& after, const Json& fixed) {
  if (rows.empty()) return;
  std::string table = "(SELECT ";
  for (size_t c = 0; c < rows[0].size(); ++c)
    table += (c ? ", " : "") + ("json_extract(value, '$[" + std::to_string(c) + "]') AS column" + std::to_string(c + 1));
  table += " FROM json_each(?" + std::to_string(fixed.size() + 1) + "))";
  std::string chunk;
  auto flush = [&] {
    d1::Statement statement{before + table + after, fixed};
    statement.params.push_back("[" + chunk + "]");
    out.push_back(std::move(statement));
    chunk.clear();
  };
  for (const Json& row : rows) {
    std::string text = dump_json(row);
    if (!chunk.empty() && chunk.size() + text.size() + 1 > kMaxRowsJsonBytes) flush();
    chunk += (chunk.empty() ? "" : ",") + text;
  }
  flush();
}

namespace {

// Multi-row INSERTs into `head` ("INSERT INTO t (a, b)"); `tail` may be an ON CONFLICT clause
// (which after a SELECT needs its WHERE).
void insert_all(std::vector<d1::Statement>& out, const std::string& head, const std::vector<Json>& rows,
                const std::string& tail = "") {
  row_statements(out, head + " SELECT * FROM ", rows, " WHERE true" + tail);
}

// DELETE FROM `table` WHERE `column` is one of `keys` (each a one-value row).
void delete_all(std::vector<d1::Statement>& out, const std::string& table, const std::string& column,
                const std::vector<Json>& keys) {
  row_statements(out, "DELETE FROM " + table + " WHERE " + column + " IN (SELECT column1 FROM ", keys, ")");
}

// Events of `type`, one per row of `rows` whose `when` holds; ?1 is the time, v.column1… the
// row's values, `data_sql` the event's data (JSON text).
void record_all(std::vector<d1::Statement>& out, const char* type, int64_t now_ms, const std::string& data_sql,
                const std::vector<Json>& rows, const std::string& when) {
  row_statements(out, std::string(events::kInsertSql) + "NULL, '" + type + "', ?1, " + data_sql + " FROM ", rows,
                 " v WHERE " + when, Json::array({now_ms}));
}

// The entity of each owner's name, and the name as one of its variants; `filed` maps a
// normalised name to the name as filed.
void add_entity_statements(const std::map<std::string, std::string>& filed, const EntityResolver& resolved, int64_t now_ms,
                           std::vector<d1::Statement>& out) {
  std::vector<Json> entity_rows, name_rows;
  for (const auto& [normalized, name_as_filed] : filed) {
    const auto entity = resolved[normalized];
    entity_rows.push_back({entity.id, name_as_filed, entity.canonical, now_ms});
    name_rows.push_back({normalized, entity.id});
  }
  insert_all(out, "INSERT INTO assignees (id, name, normalized_name, created_at)", entity_rows, " ON CONFLICT DO NOTHING");
  insert_all(out, "INSERT INTO entity_names (normalized_name, entity_id)", name_rows, " ON CONFLICT DO NOTHING");
}

// A batch's grants and applications in a few multi-row statements (D1's cost is per
// statement): events first (they compare with the rows as they were), the upserts, the old
// child rows deleted, then the new ones. A document repeated within the batch counts once,
// as its last copy.
std::vector<d1::Statement> document_statements(const std::vector<const PatentDocument*>& batch, const EntityResolver& resolved,
                                               int64_t now_ms) {
  // In the file's order, each number at its last copy.
  std::map<std::string, size_t> last_copy;
  for (size_t i = 0; i < batch.size(); ++i) last_copy[batch[i]->number] = i;
  std::vector<std::pair<std::string, const PatentDocument*>> by_number;
  for (size_t i = 0; i < batch.size(); ++i)
    if (last_copy[batch[i]->number] == i) by_number.emplace_back(batch[i]->number, batch[i]);
  std::vector<Json> created, updated, upserts, numbers, texts, inventors, links, citations, cpc, classified;
  std::map<std::string, std::string> owners;  // normalised -> name as filed
  for (const auto& [n, g] : by_number) {
    std::string event = dump_json(
        {{"object", "patent"}, {"number", n}, {"document_type", g->document_type}, {"kind", g->kind}, {"title", g->title}});
    created.push_back({n, event});
    updated.push_back({n, event, g->title, text_or_null(g->abstract), text_or_null(g->grant_date), g->claims_count});
    upserts.push_back({n, g->kind, g->document_type, g->title, text_or_null(g->abstract), text_or_null(g->application_number),
                       text_or_null(g->filing_date), g->publication_date, text_or_null(g->grant_date), g->claims_count, now_ms});
    numbers.push_back({n});
    texts.push_back({n, g->title, g->abstract, g->claims});
    for (size_t i = 0; i < g->inventors.size(); ++i) {
      const auto& p = g->inventors[i];
      inventors.push_back(
          {n, i, text_or_null(p.first_name), p.last_name, text_or_null(p.city), text_or_null(p.state), text_or_null(p.country)});
    }
    for (size_t i = 0; i < g->assignees.size(); ++i) {
      std::string normalized = patents::normalize_name(g->assignees[i]);
      if (normalized.empty()) continue;
      links.push_back({n, resolved[normalized].id, i, g->assignees[i]});
      owners.emplace(std::move(normalized), g->assignees[i]);
    }
    for (size_t i = 0; i < g->citations.size(); ++i) {
      const auto& c = g->citations[i];
      citations.push_back({n, i, c.number, c.country, text_or_null(c.kind), text_or_null(c.date), text_or_null(c.category)});
    }
    for (size_t i = 0; i < g->cpc.size(); ++i) cpc.push_back({n, g->cpc[i], i});
    if (!g->cpc.empty()) classified.push_back({n});
  }
  std::vector<d1::Statement> out;
  // A patent's events change with its row only when its content does.
  record_all(out, "patent.created", now_ms, "v.column2", created, "NOT EXISTS (SELECT 1 FROM patents WHERE number = v.column1)");
  record_all(out, "patent.updated", now_ms, "v.column2", updated,
             "EXISTS (SELECT 1 FROM patents p WHERE p.number = v.column1 AND (p.title, p.abstract, p.grant_date, p.claims_count) "
             "IS NOT (v.column3, v.column4, v.column5, v.column6))");
  insert_all(out,
             "INSERT INTO patents (number, kind, document_type, title, abstract, application_number, filing_date, "
             "publication_date, grant_date, claims_count, updated_at)",
             upserts,
             " ON CONFLICT (number) DO UPDATE SET kind = excluded.kind, document_type = excluded.document_type, title = "
             "excluded.title, abstract = excluded.abstract, application_number = excluded.application_number, filing_date = "
             "excluded.filing_date, publication_date = excluded.publication_date, grant_date = excluded.grant_date, "
             "claims_count = excluded.claims_count, updated_at = excluded.updated_at WHERE (patents.title, patents.abstract, "
             "patents.grant_date, patents.claims_count) IS NOT (excluded.title, excluded.abstract, excluded.grant_date, "
             "excluded.claims_count)");
  for (const char* table : {"inventors", "patent_assignees"}) delete_all(out, table, "patent_number", numbers);
  // A document without CPC (grants before v4.3) keeps the symbols the master file gave it.
  delete_all(out, "patent_cpc", "patent_number", classified);
  delete_all(out, "citations", "citing_number", numbers);
  delete_all(out, "patent_text", "number", numbers);
  insert_all(out, "INSERT INTO patent_text (number, title, abstract, claims)", texts);
  insert_all(out, "INSERT INTO inventors (patent_number, sequence, first_name, last_name, city, state, country)", inventors);
  add_entity_statements(owners, resolved, now_ms, out);
  insert_all(out, "INSERT INTO patent_assignees (patent_number, assignee_id, sequence, name_as_filed)", links,
             " ON CONFLICT DO NOTHING");
  insert_all(out,
             "INSERT INTO citations (citing_number, sequence, cited_number, cited_country, cited_kind, cited_date, category)",
             citations);
  insert_all(out, "INSERT INTO patent_cpc (patent_number, symbol, position)", cpc, " ON CONFLICT DO NOTHING");
  return out;
}

// A batch's assignments in a few multi-row statements (D1's cost is per statement): their
// upserts, their old parties and properties deleted, then the new ones and their owners'
// entities. A record repeated within the batch counts once, as its last copy.
std::vector<d1::Statement> assignment_statements(const std::vector<const Assignment*>& batch, const EntityResolver& resolved,
                                                 int64_t now_ms) {
  std::map<std::string, const Assignment*> by_id;
  for (const Assignment* a : batch) by_id[std::to_string(a->reel) + "-" + std::to_string(a->frame)] = a;
  std::vector<Json> upserts, ids, parties, properties;
  std::map<std::string, std::string> owners;  // normalised -> name as filed
  for (const auto& [id, a] : by_id) {
    upserts.push_back({id, a->reel, a->frame, a->conveyance_text, a->conveyance_type, a->recorded_date,
                       text_or_null(a->last_update_date), a->page_count ? Json(a->page_count) : Json(),
                       text_or_null(a->correspondent_name), text_or_null(a->correspondent_address)});
    ids.push_back({id});
    for (auto [role, list] : {std::pair{"assignor", &a->assignors}, {"assignee", &a->assignees}})
      for (size_t i = 0; i < list->size(); ++i) {
        const auto& p = (*list)[i];
        std::string normalized = patents::normalize_name(p.name);
        Json entity;
        // Assignees are canonical entities too: an assignment can name an owner no grant has yet.
        if (std::string_view(role) == "assignee" && !normalized.empty()) {
          entity = resolved[normalized].id;
          owners.emplace(normalized, p.name);
        }
        parties.push_back({id, role, i, p.name, normalized, entity, text_or_null(p.execution_date), text_or_null(p.address)});
      }
    for (size_t i = 0; i < a->properties.size(); ++i) {
      const auto& p = a->properties[i];
      properties.push_back({id, i, text_or_null(p.patent_number), text_or_null(p.application_number),
                            text_or_null(p.publication_number), text_or_null(p.title)});
    }
  }
  std::vector<d1::Statement> out;
  // assignment.recorded for the ones not loaded before, written before their upsert.
  std::vector<Json> recorded;
  for (const auto& [id, a] : by_id) recorded.push_back({id, a->conveyance_type, a->recorded_date});
  record_all(out, "assignment.recorded", now_ms,
             "json_object('object', 'assignment', 'id', v.column1, 'conveyance_type', v.column2, 'recorded_date', v.column3)",
             recorded, "NOT EXISTS (SELECT 1 FROM assignments a WHERE a.id = v.column1)");
  insert_all(out,
             "INSERT INTO assignments (id, reel, frame, conveyance_text, conveyance_type, recorded_date, last_update_date, "
             "page_count, correspondent_name, correspondent_address)",
             upserts,
             " ON CONFLICT (id) DO UPDATE SET conveyance_text = excluded.conveyance_text, conveyance_type = "
             "excluded.conveyance_type, recorded_date = excluded.recorded_date, last_update_date = excluded.last_update_date, "
             "page_count = excluded.page_count, correspondent_name = excluded.correspondent_name, correspondent_address = "
             "excluded.correspondent_address");
  for (const char* table : {"assignment_parties", "assignment_properties"}) delete_all(out, table, "assignment_id", ids);
  add_entity_statements(owners, resolved, now_ms, out);
  insert_all(out,
             "INSERT INTO assignment_parties (assignment_id, role, sequence, name, normalized_name, entity_id, execution_date, "
             "address)",
             parties);
  insert_all(out,
             "INSERT INTO assignment_properties (assignment_id, sequence, patent_number, application_number, "
             "publication_number, title)",
             properties);
  // portfolio.patent.assigned: a new assignment names a patent some organisation watches.
  row_statements(
      out,
      std::string(events::kInsertSql) +
          "p.org_id, 'portfolio.patent.assigned', ?1, json_object('object', 'portfolio_patent', 'portfolio', p.id, "
          "'number', pp.patent_number, 'assignment', ap.assignment_id, 'conveyance_type', json_extract(e.data, "
          "'$.conveyance_type')) FROM events e JOIN assignment_properties ap ON ap.assignment_id = json_extract(e.data, "
          "'$.id') JOIN portfolio_patents pp ON pp.patent_number = ap.patent_number JOIN portfolios p ON p.id = "
          "pp.portfolio_id WHERE e.type = 'assignment.recorded' AND e.created_at = ?1 AND json_extract(e.data, '$.id') IN "
          "(SELECT column1 FROM ",
      ids,
      ") AND NOT EXISTS (SELECT 1 FROM events done WHERE done.type = 'portfolio.patent.assigned' AND done.org_id = "
      "p.org_id AND json_extract(done.data, '$.assignment') = ap.assignment_id AND json_extract(done.data, '$.number') = "
      "pp.patent_number)",
      Json::array({now_ms}));
  return out;
}

}  // namespace

std::optional<ParsedRecord> parse_record(const Record& record, std::string& problem) {
  if (record.root().name() == "patent-assignment") {
    if (auto assignment = read_assignment(record, problem)) return ParsedRecord(std::move(*assignment));
  } else if (auto document = read_patent_document(record, problem)) {
    return ParsedRecord(std::move(*document));
  }
  return std::nullopt;
}

void collect_entity_names(const ParsedRecord& record, std::set<std::string>& names) {
  auto add = [&](const std::string& name) {
    if (auto normalized = patents::normalize_name(name); !normalized.empty()) names.insert(std::move(normalized));
  };
  if (const auto* document = std::get_if<PatentDocument>(&record))
    for (const auto& name : document->assignees) add(name);
  if (const auto* assignment = std::get_if<Assignment>(&record))
    for (const auto& party : assignment->assignees) add(party.name);
}

std::vector<d1::Statement> batch_statements(const std::vector<ParsedRecord>& records, const EntityResolver& entities,
                                            int64_t now_ms) {
  std::vector<const PatentDocument*> documents;
  std::vector<const Assignment*> assignments;
  for (const auto& record : records) {
    if (const auto* assignment = std::get_if<Assignment>(&record)) assignments.push_back(assignment);
    else documents.push_back(&std::get<PatentDocument>(record));
  }
  std::vector<d1::Statement> out = document_statements(documents, entities, now_ms);
  for (auto& statement : assignment_statements(assignments, entities, now_ms)) out.push_back(std::move(statement));
  return out;
}

std::vector<d1::Statement> fee_event_statements(const FeeEventLine& e, int64_t now_ms) {
  Json event = {{"object", "maintenance_fee_event"},
                {"number", e.patent_number},
                {"event_code", e.event_code},
                {"event_date", e.event_date},
                {"entity_status", e.entity_status}};
  return {
      events::record("maintenance.status_changed", nullptr, now_ms, event,
                     "NOT EXISTS (SELECT 1 FROM maintenance_fee_events WHERE patent_number = ?5 AND event_date = ?6 AND "
                     "event_code = ?7)",
                     {e.patent_number, e.event_date, e.event_code}),
      {"INSERT INTO maintenance_fee_events (patent_number, application_number, entity_status, filing_date, grant_date, "
       "event_date, event_code) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT DO NOTHING",
       {e.patent_number, e.application_number, e.entity_status, text_or_null(e.filing_date), text_or_null(e.grant_date),
        e.event_date, e.event_code}},
  };
}

}  // namespace ptmc::ingest
