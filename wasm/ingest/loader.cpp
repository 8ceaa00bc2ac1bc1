#include "wasm/ingest/loader.hpp"

#include "bindings/durable_object.hpp"
#include "bindings/fetch.hpp"
#include "wasm/crypto/crypto.hpp"
#include "wasm/events/events.hpp"
#include "wasm/runtime/effect.hpp"
#include "wasm/patents/names.hpp"
#include "wasm/runtime/services.hpp"

namespace ptmc::ingest {
namespace {

Json text_or_null(const std::string& text) { return text.empty() ? Json() : Json(text); }

constexpr size_t kMaxParams = 100;  // bound values per statement on D1

// One multi-row INSERT of `rows` (each a JSON array of values) into `head` ("INSERT INTO t (a, b)").
d1::Statement insert_rows(const std::string& head, const std::vector<Json>& rows, const std::string& tail = "") {
  d1::Statement statement{head + " VALUES ", Json::array()};
  for (size_t r = 0; r < rows.size(); ++r) {
    statement.sql += r ? ", (" : "(";
    for (size_t c = 0; c < rows[r].size(); ++c) {
      statement.params.push_back(rows[r][c]);
      statement.sql += (c ? ", ?" : "?") + std::to_string(statement.params.size());
    }
    statement.sql += ")";
  }
  statement.sql += tail;
  return statement;
}

// As many multi-row INSERTs as D1's bound-value limit needs (none for no rows).
void insert_all(std::vector<d1::Statement>& out, const std::string& head, const std::vector<Json>& rows, const std::string& tail = "") {
  if (rows.empty()) return;
  size_t per_statement = std::max<size_t>(1, kMaxParams / rows[0].size());
  for (size_t at = 0; at < rows.size(); at += per_statement)
    out.push_back(insert_rows(head,
                              std::vector<Json>(rows.begin() + static_cast<ptrdiff_t>(at),
                                                rows.begin() + static_cast<ptrdiff_t>(std::min(rows.size(), at + per_statement))),
                              tail));
}

// The entity of an owner's name, and the name as one of its variants.
void add_entity_statements(const std::string& name_as_filed, const std::string& normalized, const EntityResolver& resolved,
                           int64_t now_ms, std::vector<d1::Statement>& out) {
  const auto entity = resolved[normalized];
  out.push_back({"INSERT INTO assignees (id, name, normalized_name, created_at) VALUES (?1, ?2, ?3, ?4) ON CONFLICT DO NOTHING",
                 {entity.id, name_as_filed, entity.canonical, now_ms}});
  out.push_back({"INSERT INTO entity_names (normalized_name, entity_id) VALUES (?1, ?2) ON CONFLICT DO NOTHING",
                 {normalized, entity.id}});
}

std::vector<d1::Statement> document_statements(const PatentDocument& g, const EntityResolver& resolved, int64_t now_ms) {
  const std::string& n = g.number;
  // Before the upsert, which changes a patent only when its content does: so do these events.
  Json event = {{"object", "patent"}, {"number", n}, {"document_type", g.document_type}, {"kind", g.kind}, {"title", g.title}};
  std::vector<d1::Statement> out = {
      events::record("patent.created", nullptr, now_ms, event, "NOT EXISTS (SELECT 1 FROM patents WHERE number = ?5)", {n}),
      events::record("patent.updated", nullptr, now_ms, event,
                     "EXISTS (SELECT 1 FROM patents WHERE number = ?5 AND (title, abstract, grant_date, claims_count) IS NOT "
                     "(?6, ?7, ?8, ?9))",
                     {n, g.title, text_or_null(g.abstract), text_or_null(g.grant_date), g.claims_count}),
      {"INSERT INTO patents (number, kind, document_type, title, abstract, application_number, filing_date, "
       "publication_date, grant_date, claims_count, updated_at) VALUES (?1, ?2, ?10, ?3, ?4, ?5, ?6, ?11, ?7, ?8, ?9) "
       "ON CONFLICT (number) DO UPDATE SET kind = excluded.kind, document_type = excluded.document_type, title = excluded.title, abstract = excluded.abstract, "
       "application_number = excluded.application_number, filing_date = excluded.filing_date, publication_date = "
       "excluded.publication_date, grant_date = excluded.grant_date, claims_count = excluded.claims_count, updated_at = "
       "excluded.updated_at WHERE (patents.title, patents.abstract, patents.grant_date, patents.claims_count) IS NOT "
       "(excluded.title, excluded.abstract, excluded.grant_date, excluded.claims_count)",
       {n, g.kind, g.title, text_or_null(g.abstract), text_or_null(g.application_number), text_or_null(g.filing_date),
        text_or_null(g.grant_date), g.claims_count, now_ms, g.document_type, g.publication_date}},
  };
  for (const char* table : {"inventors", "patent_assignees", "patent_cpc"})
    out.push_back({std::string("DELETE FROM ") + table + " WHERE patent_number = ?1", {n}});
  out.push_back({"DELETE FROM citations WHERE citing_number = ?1", {n}});
  out.push_back({"DELETE FROM patent_text WHERE number = ?1", {n}});
  out.push_back({"INSERT INTO patent_text (number, title, abstract, claims) VALUES (?1, ?2, ?3, ?4)",
                 {n, g.title, g.abstract, g.claims}});
  std::vector<Json> rows;
  for (size_t i = 0; i < g.inventors.size(); ++i) {
    const auto& p = g.inventors[i];
    rows.push_back({n, i, text_or_null(p.first_name), p.last_name, text_or_null(p.city), text_or_null(p.state),
                    text_or_null(p.country)});
  }
  insert_all(out, "INSERT INTO inventors (patent_number, sequence, first_name, last_name, city, state, country)", rows);
  std::vector<Json> links;
  for (size_t i = 0; i < g.assignees.size(); ++i) {
    std::string normalized = patents::normalize_name(g.assignees[i]);
    if (normalized.empty()) continue;
    add_entity_statements(g.assignees[i], normalized, resolved, now_ms, out);
    links.push_back({n, resolved[normalized].id, i, g.assignees[i]});
  }
  insert_all(out, "INSERT INTO patent_assignees (patent_number, assignee_id, sequence, name_as_filed)", links, " ON CONFLICT DO NOTHING");
  rows.clear();
  for (size_t i = 0; i < g.citations.size(); ++i) {
    const auto& c = g.citations[i];
    rows.push_back({n, i, c.number, c.country, text_or_null(c.kind), text_or_null(c.date), text_or_null(c.category)});
  }
  insert_all(out, "INSERT INTO citations (citing_number, sequence, cited_number, cited_country, cited_kind, cited_date, category)",
             rows);
  rows.clear();
  for (size_t i = 0; i < g.cpc.size(); ++i) rows.push_back({n, g.cpc[i], i});
  insert_all(out, "INSERT INTO patent_cpc (patent_number, symbol, position)", rows, " ON CONFLICT DO NOTHING");
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
  std::map<std::string, std::pair<std::string, EntityResolver::Entity>> entities;  // normalised -> (name as filed, entity)
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
          auto resolved_entity = resolved[normalized];
          entity = resolved_entity.id;
          entities.emplace(normalized, std::pair{p.name, resolved_entity});
        }
        parties.push_back({id, role, i, p.name, normalized, entity, text_or_null(p.execution_date), text_or_null(p.address)});
      }
    for (size_t i = 0; i < a->properties.size(); ++i) {
      const auto& p = a->properties[i];
      properties.push_back({id, i, text_or_null(p.patent_number), text_or_null(p.application_number),
                            text_or_null(p.publication_number), text_or_null(p.title)});
    }
  }
  std::vector<Json> entity_rows, name_rows;
  for (const auto& [normalized, filed] : entities) {
    entity_rows.push_back({filed.second.id, filed.first, filed.second.canonical, now_ms});
    name_rows.push_back({normalized, filed.second.id});
  }
  std::vector<d1::Statement> out;
  // assignment.recorded for the ones not loaded before, written before their upsert.
  std::vector<Json> recorded;
  for (const auto& [id, a] : by_id) recorded.push_back({id, a->conveyance_type, a->recorded_date});
  for (size_t at = 0; at < recorded.size(); at += 33) {
    d1::Statement statement{std::string("INSERT INTO events (id, org_id, type, created_at, data) SELECT ") + events::kNewIdSql +
                                ", NULL, 'assignment.recorded', ?1, json_object('object', 'assignment', 'id', v.column1, "
                                "'conveyance_type', v.column2, 'recorded_date', v.column3) FROM (VALUES ",
                            Json::array({now_ms})};
    for (size_t i = at; i < std::min(recorded.size(), at + 33); ++i) {
      size_t first = statement.params.size() + 1;
      statement.sql += (i > at ? ", " : "") + ("(?" + std::to_string(first) + ", ?" + std::to_string(first + 1) + ", ?" +
                                               std::to_string(first + 2) + ")");
      for (const auto& value : recorded[i]) statement.params.push_back(value);
    }
    statement.sql += ") v WHERE NOT EXISTS (SELECT 1 FROM assignments a WHERE a.id = v.column1)";
    out.push_back(std::move(statement));
  }
  insert_all(out, "INSERT INTO assignments (id, reel, frame, conveyance_text, conveyance_type, recorded_date, last_update_date, "
                  "page_count, correspondent_name, correspondent_address)",
             upserts,
             " ON CONFLICT (id) DO UPDATE SET conveyance_text = excluded.conveyance_text, conveyance_type = "
             "excluded.conveyance_type, recorded_date = excluded.recorded_date, last_update_date = excluded.last_update_date, "
             "page_count = excluded.page_count, correspondent_name = excluded.correspondent_name, correspondent_address = "
             "excluded.correspondent_address");
  for (const char* table : {"assignment_parties", "assignment_properties"})
    for (size_t at = 0; at < ids.size(); at += kMaxParams) {
      d1::Statement remove{std::string("DELETE FROM ") + table + " WHERE assignment_id IN (", Json::array()};
      for (size_t i = at; i < std::min(ids.size(), at + kMaxParams); ++i) {
        remove.params.push_back(ids[i][0]);
        remove.sql += (i > at ? ", ?" : "?") + std::to_string(remove.params.size());
      }
      out.push_back(std::move(remove));
      out.back().sql += ")";
    }
  insert_all(out, "INSERT INTO assignees (id, name, normalized_name, created_at)", entity_rows, " ON CONFLICT DO NOTHING");
  insert_all(out, "INSERT INTO entity_names (normalized_name, entity_id)", name_rows, " ON CONFLICT DO NOTHING");
  insert_all(out, "INSERT INTO assignment_parties (assignment_id, role, sequence, name, normalized_name, entity_id, execution_date, "
                  "address)",
             parties);
  insert_all(out, "INSERT INTO assignment_properties (assignment_id, sequence, patent_number, application_number, "
                  "publication_number, title)",
             properties);
  // portfolio.patent.assigned: a new assignment names a patent some organisation watches.
  for (size_t at = 0; at < ids.size(); at += 90) {
    d1::Statement statement{
        std::string("INSERT INTO events (id, org_id, type, created_at, data) SELECT ") + events::kNewIdSql +
            ", p.org_id, 'portfolio.patent.assigned', ?1, json_object('object', 'portfolio_patent', 'portfolio', p.id, "
            "'number', pp.patent_number, 'assignment', ap.assignment_id, 'conveyance_type', json_extract(e.data, "
            "'$.conveyance_type')) FROM events e JOIN assignment_properties ap ON ap.assignment_id = json_extract(e.data, '$.id') "
            "JOIN portfolio_patents pp ON pp.patent_number = ap.patent_number JOIN portfolios p ON p.id = pp.portfolio_id "
            "WHERE e.type = 'assignment.recorded' AND e.created_at = ?1 AND json_extract(e.data, '$.id') IN (",
        Json::array({now_ms})};
    for (size_t i = at; i < std::min(ids.size(), at + 90); ++i) {
      statement.params.push_back(ids[i][0]);
      statement.sql += (i > at ? ", ?" : "?") + std::to_string(statement.params.size());
    }
    statement.sql += ") AND NOT EXISTS (SELECT 1 FROM events done WHERE done.type = 'portfolio.patent.assigned' AND "
                     "done.org_id = p.org_id AND json_extract(done.data, '$.assignment') = ap.assignment_id AND "
                     "json_extract(done.data, '$.number') = pp.patent_number)";
    out.push_back(std::move(statement));
  }
  return out;
}

}  // namespace

std::string new_entity_id(const std::string& normalized_name) { return "ent_" + crypto::sha256_hex(normalized_name).substr(0, 16); }

namespace {

// A name-shard object's answer; anything but 200 with an id and canonical name for each name
// faults the task (the job's attempt then fails and is retried).
Outcome<std::map<std::string, EntityResolver::Entity>> decode_entities(EffectResult&& result) {
  auto response = outbound::decode_response(std::move(result), "entities");
  if (!response.ok()) return response.fault();
  auto body = parse_json(response.take().body);
  const Json* entities = body && body->is_object() && body->contains("entities") ? &(*body)["entities"] : nullptr;
  if (!entities || !entities->is_object()) return Fault{"entities", "the name-shard object answered without entities"};
  std::map<std::string, EntityResolver::Entity> out;
  for (const auto& [name, entity] : entities->items()) {
    const auto* id = string_field(entity, "id");
    const auto* canonical = string_field(entity, "canonical");
    if (!id || !canonical) return Fault{"entities", "an entity without id or canonical name for '" + name + "'"};
    out[name] = {*id, *canonical};
  }
  return out;
}

}  // namespace

Task<void> EntityResolver::resolve(std::set<std::string> names) {
  std::map<std::string, Json> by_shard;
  for (const auto& name : names)
    if (!known_.count(name)) by_shard[patents::name_shard(name)].push_back(name);
  if (by_shard.empty()) co_return;
  if (known_.size() > kMaxKnown) known_.clear();
  std::vector<Effect<std::map<std::string, Entity>>> calls;
  for (auto& [shard, shard_names] : by_shard) {
    http::Request request{"POST", "https://entities/resolve", "/resolve", "", {}, dump_json({{"names", std::move(shard_names)}})};
    calls.emplace_back(durable_object::call_request("ENTITIES", shard, std::move(request)), &decode_entities);
  }
  for (auto& answer : co_await all(std::move(calls)))
    for (auto& [name, entity] : answer) known_[name] = std::move(entity);
}

EntityResolver::Entity EntityResolver::operator[](const std::string& name) const {
  if (auto found = known_.find(name); found != known_.end()) return found->second;
  return {new_entity_id(name), name};  // left out by its object: what the object gives a new name
}

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
  std::vector<d1::Statement> out;
  std::vector<const Assignment*> assignments;
  for (const auto& record : records) {
    if (const auto* assignment = std::get_if<Assignment>(&record)) assignments.push_back(assignment);
    else
      for (auto& statement : document_statements(std::get<PatentDocument>(record), entities, now_ms)) out.push_back(std::move(statement));
  }
  for (auto& statement : assignment_statements(assignments, entities, now_ms)) out.push_back(std::move(statement));
  return out;
}

std::vector<d1::Statement> fee_event_statements(const FeeEventLine& e, int64_t now_ms) {
  Json event = {{"object", "maintenance_fee_event"}, {"number", e.patent_number}, {"event_code", e.event_code},
                {"event_date", e.event_date}, {"entity_status", e.entity_status}};
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
  return {"INSERT INTO cpc_staging (job_id, symbol, level, title, parent) VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT DO UPDATE "
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

}  // namespace ptmc::ingest
