#include "wasm/ingest/loader.hpp"

#include "wasm/crypto/crypto.hpp"
#include "wasm/patents/names.hpp"
#include "wasm/runtime/services.hpp"

namespace ptmc::ingest {
namespace {

constexpr size_t kChunkBytes = 64 * 1024;
constexpr size_t kStatementsPerBatch = 200;
constexpr size_t kMaxReportedErrors = 100;

Json text_or_null(const std::string& text) { return text.empty() ? Json() : Json(text); }

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

}  // namespace

std::string entity_id(const std::string& normalized_name) { return "ent_" + crypto::sha256_hex(normalized_name).substr(0, 16); }

std::vector<d1::Statement> grant_statements(const Grant& g, int64_t now_ms) {
  const std::string& n = g.number;
  std::vector<d1::Statement> out = {
      {"INSERT INTO patents (number, kind, document_type, title, abstract, application_number, filing_date, "
       "publication_date, grant_date, claims_count, updated_at) VALUES (?1, ?2, 'grant', ?3, ?4, ?5, ?6, ?7, ?7, ?8, ?9) "
       "ON CONFLICT (number) DO UPDATE SET kind = excluded.kind, title = excluded.title, abstract = excluded.abstract, "
       "application_number = excluded.application_number, filing_date = excluded.filing_date, publication_date = "
       "excluded.publication_date, grant_date = excluded.grant_date, claims_count = excluded.claims_count, updated_at = "
       "excluded.updated_at WHERE (patents.title, patents.abstract, patents.grant_date, patents.claims_count) IS NOT "
       "(excluded.title, excluded.abstract, excluded.grant_date, excluded.claims_count)",
       {n, g.kind, g.title, text_or_null(g.abstract), text_or_null(g.application_number), text_or_null(g.filing_date),
        g.grant_date, g.claims_count, now_ms}},
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
  if (!rows.empty()) out.push_back(insert_rows("INSERT INTO inventors (patent_number, sequence, first_name, last_name, city, state, country)", rows));
  std::vector<Json> entities, links;
  for (size_t i = 0; i < g.assignees.size(); ++i) {
    std::string normalized = patents::normalize_name(g.assignees[i]);
    if (normalized.empty()) continue;
    entities.push_back({entity_id(normalized), g.assignees[i], normalized, now_ms});
    links.push_back({n, entity_id(normalized), i, g.assignees[i]});
  }
  if (!entities.empty()) {
    out.push_back(insert_rows("INSERT INTO assignees (id, name, normalized_name, created_at)", entities, " ON CONFLICT DO NOTHING"));
    out.push_back(insert_rows("INSERT INTO patent_assignees (patent_number, assignee_id, sequence, name_as_filed)", links,
                              " ON CONFLICT DO NOTHING"));
  }
  rows.clear();
  for (size_t i = 0; i < g.citations.size(); ++i) {
    const auto& c = g.citations[i];
    rows.push_back({n, i, c.number, c.country, text_or_null(c.kind), text_or_null(c.date), text_or_null(c.category)});
  }
  // A statement binds at most 100 values on D1: 14 rows of 7.
  for (size_t at = 0; at < rows.size(); at += 14)
    out.push_back(insert_rows("INSERT INTO citations (citing_number, sequence, cited_number, cited_country, cited_kind, cited_date, category)",
                              std::vector<Json>(rows.begin() + static_cast<ptrdiff_t>(at),
                                                rows.begin() + static_cast<ptrdiff_t>(std::min(rows.size(), at + 14)))));
  rows.clear();
  for (size_t i = 0; i < g.cpc.size(); ++i) rows.push_back({n, g.cpc[i], i});
  if (!rows.empty()) out.push_back(insert_rows("INSERT INTO patent_cpc (patent_number, symbol, position)", rows, " ON CONFLICT DO NOTHING"));
  return out;
}

std::vector<d1::Statement> assignment_statements(const Assignment& a) {
  std::string id = std::to_string(a.reel) + "-" + std::to_string(a.frame);
  std::vector<d1::Statement> out = {
      {"INSERT INTO assignments (id, reel, frame, conveyance_text, conveyance_type, recorded_date, last_update_date, "
       "page_count, correspondent_name, correspondent_address) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10) "
       "ON CONFLICT (id) DO UPDATE SET conveyance_text = excluded.conveyance_text, conveyance_type = "
       "excluded.conveyance_type, recorded_date = excluded.recorded_date, last_update_date = excluded.last_update_date, "
       "page_count = excluded.page_count, correspondent_name = excluded.correspondent_name, correspondent_address = "
       "excluded.correspondent_address",
       {id, a.reel, a.frame, a.conveyance_text, a.conveyance_type, a.recorded_date, text_or_null(a.last_update_date),
        a.page_count ? Json(a.page_count) : Json(), text_or_null(a.correspondent_name), text_or_null(a.correspondent_address)}},
      {"DELETE FROM assignment_parties WHERE assignment_id = ?1", {id}},
      {"DELETE FROM assignment_properties WHERE assignment_id = ?1", {id}},
  };
  // Assignees are canonical entities too: an assignment can name an owner no grant has yet.
  std::vector<Json> parties, entities;
  for (auto [role, list] : {std::pair{"assignor", &a.assignors}, {"assignee", &a.assignees}})
    for (size_t i = 0; i < list->size(); ++i) {
      const auto& p = (*list)[i];
      std::string normalized = patents::normalize_name(p.name);
      Json entity;
      if (std::string_view(role) == "assignee" && !normalized.empty()) {
        entity = entity_id(normalized);
        entities.push_back({entity, p.name, normalized, 0});
      }
      parties.push_back({id, role, i, p.name, normalized, entity, text_or_null(p.execution_date), text_or_null(p.address)});
    }
  if (!entities.empty())
    out.push_back(insert_rows("INSERT INTO assignees (id, name, normalized_name, created_at)", entities, " ON CONFLICT DO NOTHING"));
  for (size_t at = 0; at < parties.size(); at += 12)
    out.push_back(insert_rows("INSERT INTO assignment_parties (assignment_id, role, sequence, name, normalized_name, entity_id, "
                              "execution_date, address)",
                              std::vector<Json>(parties.begin() + static_cast<ptrdiff_t>(at),
                                                parties.begin() + static_cast<ptrdiff_t>(std::min(parties.size(), at + 12)))));
  std::vector<Json> properties;
  for (size_t i = 0; i < a.properties.size(); ++i) {
    const auto& p = a.properties[i];
    properties.push_back({id, i, text_or_null(p.patent_number), text_or_null(p.application_number),
                          text_or_null(p.publication_number), text_or_null(p.title)});
  }
  for (size_t at = 0; at < properties.size(); at += 16)
    out.push_back(insert_rows("INSERT INTO assignment_properties (assignment_id, sequence, patent_number, application_number, "
                              "publication_number, title)",
                              std::vector<Json>(properties.begin() + static_cast<ptrdiff_t>(at),
                                                properties.begin() + static_cast<ptrdiff_t>(std::min(properties.size(), at + 16)))));
  return out;
}

std::vector<d1::Statement> cpc_statements(const std::vector<CpcLine>& lines) {
  std::vector<d1::Statement> out;
  std::vector<std::string> by_level;  // the latest group at each level, for its subgroups
  for (const auto& line : lines) {
    const std::string& s = line.symbol;
    Json parent;
    if (!line.level) {
      if (s.size() > 1) parent = s.size() == 3 ? s.substr(0, 1) : s.substr(0, 3);  // class -> section, subclass -> class
    } else {
      auto level = static_cast<size_t>(*line.level);
      parent = level == 0 ? Json(s.substr(0, 4)) : level <= by_level.size() ? Json(by_level[level - 1]) : Json();
      by_level.resize(level + 1);
      by_level[level] = s;
    }
    out.push_back({"INSERT INTO cpc_codes (symbol, level, title, parent) VALUES (?1, ?2, ?3, ?4) ON CONFLICT (symbol) DO "
                   "UPDATE SET level = excluded.level, title = excluded.title, parent = excluded.parent",
                   {s, line.level ? Json(*line.level) : Json(), line.title, parent}});
  }
  return out;
}

std::vector<d1::Statement> record_statements(const std::string& source, const Record& record, int64_t now_ms,
                                             std::string& problem) {
  if (source == "grant") {
    if (auto grant = read_grant(record, problem)) return grant_statements(*grant, now_ms);
  } else if (auto assignment = read_assignment(record, problem)) {
    return assignment_statements(*assignment);
  }
  return {};
}

d1::Statement fee_event_statement(const FeeEventLine& e) {
  return {"INSERT INTO maintenance_fee_events (patent_number, application_number, entity_status, filing_date, grant_date, "
          "event_date, event_code) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT DO NOTHING",
          {e.patent_number, e.application_number, e.entity_status, text_or_null(e.filing_date), text_or_null(e.grant_date),
           e.event_date, e.event_code}};
}

namespace {

// Calls `each(line, offset)` for every non-empty line.
template <class Each>
void for_each_line(std::string_view bytes, Each each) {
  size_t start = 0;
  while (start < bytes.size()) {
    size_t end = bytes.find('\n', start);
    std::string_view line = bytes.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start);
    if (!line.empty() && line != "\r") each(line, start);
    start = end == std::string_view::npos ? bytes.size() : end + 1;
  }
}

Task<wire::Frame> load_file(wire::Frame input) {
  std::string source = input.meta.value("source", "");
  auto bytes = input.take_blob(input.meta, "file");
  if (!bytes || (source != "grant" && source != "assignment" && source != "cpc" && source != "maintenance"))
    co_return wire::Frame{
        {{"ok", false}, {"error", "source must be grant, assignment, cpc or maintenance, with the file as blob 'file'"}}, {}};
  int64_t records = 0, loaded = 0;
  Json errors = Json::array();
  int64_t error_count = 0;
  auto skip = [&](uint64_t offset, std::string reason) {
    ++error_count;
    if (errors.size() < kMaxReportedErrors) errors.push_back({{"offset", offset}, {"reason", std::move(reason)}});
  };
  std::vector<d1::Statement> pending;
  auto flush = [&]() -> Task<void> {
    if (!pending.empty()) co_await d1::batch(std::exchange(pending, {}));
  };

  if (source == "cpc" || source == "maintenance") {
    std::vector<CpcLine> cpc_lines;  // CPC parents follow from the order of the whole list
    std::vector<d1::Statement> statements;
    for_each_line(*bytes, [&](std::string_view line, size_t offset) {
      ++records;
      std::string problem;
      if (source == "cpc") {
        if (auto parsed = read_cpc_line(line, problem)) cpc_lines.push_back(std::move(*parsed));
        else skip(offset, problem);
      } else if (auto event = read_fee_event_line(line, problem)) {
        statements.push_back(fee_event_statement(*event));
      } else {
        skip(offset, problem);
      }
    });
    if (source == "cpc") statements = cpc_statements(cpc_lines);
    loaded = static_cast<int64_t>(statements.size());
    for (auto& statement : statements) {
      pending.push_back(std::move(statement));
      if (pending.size() >= kStatementsPerBatch) co_await flush();
    }
  } else {
    RecordReader reader(source == "grant" ? "us-patent-grant" : "patent-assignment");
    size_t fed = 0;
    int64_t now = services::now_ms();
    for (bool more = true; more;) {
      auto result = reader.next();
      switch (result.kind) {
        case RecordReader::Result::Kind::need_more:
          if (fed < bytes->size()) {
            reader.feed(std::string_view(*bytes).substr(fed, kChunkBytes));
            fed += std::min(kChunkBytes, bytes->size() - fed);
          } else {
            reader.finish();
          }
          break;
        case RecordReader::Result::Kind::record: {
          ++records;
          std::string problem;
          auto statements = record_statements(source, result.record, now, problem);
          if (statements.empty()) {
            skip(result.offset, problem);
            break;
          }
          ++loaded;
          for (auto& statement : statements) pending.push_back(std::move(statement));
          if (pending.size() >= kStatementsPerBatch) co_await flush();
          break;
        }
        case RecordReader::Result::Kind::error:
          skip(result.offset, result.problem);  // the XML itself is broken: nothing after it can be trusted
          more = false;
          break;
        case RecordReader::Result::Kind::done: more = false; break;
      }
    }
  }
  co_await flush();
  co_return wire::Frame{{{"ok", true}, {"source", source}, {"records", records}, {"loaded", loaded}, {"skipped", error_count}, {"errors", errors}}, {}};
}

}  // namespace

Task<wire::Frame> ingest_file(wire::Frame input) {
  auto outcome = co_await catch_faults(load_file(std::move(input)));
  if (outcome.ok()) co_return outcome.take();
  co_return wire::Frame{{{"ok", false}, {"error", outcome.fault().source + ": " + outcome.fault().message}}, {}};
}

}  // namespace ptmc::ingest
