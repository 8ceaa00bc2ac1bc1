// The public objects, as the OpenAPI document's components. An object declared as a
// schema::ObjectType (the api key, patent, citation, portfolio and webhook objects) gives its
// component from its declaration; the others match what their renderers write (the audit
// list, whoami, error_response), which every native test checks as it runs
// (wasm/reference/contract.hpp).
#include "wasm/accounts/keys.hpp"
#include "wasm/api/handlers.hpp"
#include "wasm/api/patents.hpp"
#include "wasm/api/portfolios.hpp"
#include "wasm/api/webhooks.hpp"
#include "wasm/auth/principal.hpp"
#include "wasm/events/events.hpp"
#include "wasm/patents/ownership.hpp"

namespace ptmc::api {
namespace {

using schema::required;
using schema::Schema;

Schema key_with(std::vector<schema::Property> extra, std::string description) {
  auto properties = accounts::api_key_object().properties();
  for (auto& property : extra) properties.push_back(std::move(property));
  return Schema::object(std::move(properties), std::move(description));
}

}  // namespace

const schema::Components& components() {
  static const schema::Components all = [] {
    auto secret = required("secret", Schema::string("The key itself. Shown only in this response: store it now."));
    schema::Components c;
    c.emplace("ApiKey", accounts::api_key_object().schema());
    c.emplace("ApiKeyWithSecret", key_with({secret}, "A key just created, with its secret."));
    c.emplace(
        "RolledApiKey",
        key_with({secret, required("rolled_from", Schema::object({required("id", Schema::string()),
                                                                  required("expires_at", Schema::integer("Unix seconds."))}))},
                 "The key that replaces a rolled one, with its secret."));
    c.emplace("KeyContext",
              Schema::object(
                  {required("object", Schema::string().one_of({"key_context"})), required("key_id", Schema::string()),
                   required("org_id", Schema::string()), required("user_id", Schema::string()),
                   required("mode", Schema::string().one_of({"live", "test"})), required("role", accounts::role_schema()),
                   required("scopes", Schema::array(Schema::string())), required("rate_limit_per_minute", Schema::integer())},
                  "Who the calling key acts as."));
    c.emplace(
        "AuditEvent",
        Schema::object({required("id", Schema::integer()), required("object", Schema::string().one_of({"audit_event"})),
                        required("event", Schema::string("key.created, key.rolled, key.revoked, rate_limit.exceeded, …")),
                        required("created_at", Schema::integer("Unix seconds.")),
                        required("key_id", Schema::string("The key that acted, if any.").nullable()),
                        required("actor_ip", Schema::string().nullable()), required("request_id", Schema::string().nullable()),
                        required("detail", Schema::any_object("What the event concerns."))},
                       "One security-relevant event."));
    c.emplace("Patent", patent_object().schema());
    auto detail = patent_object().properties();
    auto text = [](const char* description) { return Schema::string(description).nullable(); };
    detail.push_back(required(
        "inventors",
        Schema::array(Schema::object({required("first_name", text("")), required("last_name", Schema::string()),
                                      required("city", text("")), required("state", text("")), required("country", text(""))}))));
    detail.push_back(required("assignees", Schema::array(Schema::object({required("id", Schema::string("Canonical entity id.")),
                                                                         required("name", Schema::string("Canonical name.")),
                                                                         required("name_as_filed", Schema::string())}))));
    detail.push_back(required("cpc", Schema::array(Schema::string(), "CPC symbols, the inventive one first.")));
    c.emplace("PatentDetail", Schema::object(std::move(detail), "A patent with its parties and classifications."));
    auto nullable_text = [](const char* description = "") { return Schema::string(description).nullable(); };
    c.emplace("Citation", citation_object().schema());
    c.emplace("Assignment",
              Schema::object(
                  {required("object", Schema::string().one_of({"assignment"})), required("id", Schema::string("reel-frame")),
                   required("reel", Schema::integer()), required("frame", Schema::integer()),
                   required("conveyance_type", Schema::string().one_of(patents::conveyance_type_names())),
                   required("conveyance_text", Schema::string("As recorded.")), required("recorded_date", Schema::date()),
                   required("page_count", Schema::integer().nullable()), required("correspondent_name", nullable_text()),
                   required("assignors", Schema::array(Schema::object({required("name", Schema::string()),
                                                                       required("execution_date", Schema::date().nullable())}))),
                   required("assignees", Schema::array(Schema::object({required("name", Schema::string())})))},
                  "A recorded assignment (USPTO Assignment Recordation)."));
    c.emplace("ChainOfTitle",
              Schema::object(
                  {required("object", Schema::string().one_of({"chain_of_title"})), required("number", Schema::string()),
                   required("complete", Schema::boolean()), required("current_owners", Schema::array(Schema::string())),
                   required("links",
                            Schema::array(Schema::object(
                                {required("assignment_id", Schema::string()), required("conveyance_type", Schema::string()),
                                 required("recorded_date", Schema::date()), required("execution_date", Schema::date().nullable()),
                                 required("assignors", Schema::array(Schema::string())),
                                 required("assignees", Schema::array(Schema::string())),
                                 required("breaks_chain", Schema::boolean())})))},
                  "Owners over time."));
    c.emplace("Maintenance",
              Schema::object({required("object", Schema::string().one_of({"maintenance"})), required("number", Schema::string()),
                              required("status", Schema::string().one_of({"in_force", "lapsed", "expired", "not_granted"})),
                              required("fees_paid", Schema::array(Schema::integer("4, 8 or 12 (years)."))),
                              required("next_fee_due", Schema::date().nullable()),
                              required("lapsed_on", Schema::date().nullable()), required("expires_on", Schema::date().nullable()),
                              required("events", Schema::array(Schema::object(
                                                     {required("date", Schema::date()), required("code", Schema::string()),
                                                      required("entity_status", Schema::string().one_of({"N", "Y", "M"}))})))},
                             "Maintenance-fee events and the status they add up to."));
    c.emplace("Assignee",
              Schema::object(
                  {required("object", Schema::string().one_of({"assignee"})),
                   required("id", Schema::string("Canonical entity id.")), required("name", Schema::string()),
                   required("normalized_name", Schema::string("The name as compared.")), required("country", nullable_text())},
                  "A canonical entity that owns patents."));
    auto cpc_entry = [] {
      return std::vector<schema::Property>{required("symbol", Schema::string()),
                                           required("level", Schema::integer("0 for a main group, the dots of a subgroup; "
                                                                             "null above groups.")
                                                                 .nullable()),
                                           required("title", Schema::string())};
    };
    auto cpc_code = cpc_entry();
    cpc_code.push_back(required("object", Schema::string().one_of({"cpc_code"})));
    cpc_code.push_back(required("parents", Schema::array(Schema::object(cpc_entry()), "Ancestors, the section first.")));
    cpc_code.push_back(required("children", Schema::array(Schema::object(cpc_entry()))));
    cpc_code.push_back(required("children_truncated", Schema::boolean("More than 1000 children exist.")));
    c.emplace("CpcCode", Schema::object(std::move(cpc_code), "A CPC symbol in its hierarchy."));
    c.emplace("Portfolio", portfolio_object().schema());
    c.emplace("PortfolioPatent", portfolio_patent_object().schema());
    c.emplace("SearchResult",
              Schema::object({required("object", Schema::string().one_of({"search_result"})),
                              required("number", Schema::string()), required("title", Schema::string()),
                              required("kind", Schema::string()), required("grant_date", Schema::date().nullable()),
                              required("score", Schema::number("Relevance (negated BM25): higher is better.")),
                              required("snippet_html", Schema::string("HTML-escaped; matches in <mark>."))},
                             "One search hit."));
    auto seconds_or_null = [] { return Schema::integer("Unix seconds.").nullable(); };
    c.emplace("Event", Schema::object({required("object", Schema::string().one_of({"event"})),
                                       required("id", Schema::string("evt_ and 24 hex digits.")),
                                       required("type", Schema::string().one_of(events::type_names())),
                                       required("created", Schema::integer("Unix seconds.")),
                                       required("data", Schema::any_object("The thing that changed, as the event type says."))},
                                      "A change: written in the same transaction as the change itself."));
    c.emplace("WebhookEndpoint", webhook_endpoint_object().schema());
    c.emplace("WebhookAttempt", webhook_attempt_object().schema());
    c.emplace(
        "IngestionError",
        Schema::object({required("object", Schema::string().one_of({"ingestion_error"})), required("file", Schema::string()),
                        required("byte_offset", Schema::integer("Where the skipped record starts in its file.")),
                        required("reason", Schema::string())},
                       "A record an ingestion job skipped."));
    c.emplace(
        "IngestionJob",
        Schema::object(
            {required("object", Schema::string().one_of({"ingestion_job"})), required("id", Schema::string()),
             required("jurisdiction", Schema::string()), required("source", Schema::string()), required("date", Schema::date()),
             required("status", Schema::string().one_of({"queued", "running", "succeeded", "failed"})),
             required("records", Schema::integer()), required("loaded", Schema::integer()),
             required("skipped", Schema::integer()), required("attempts", Schema::integer()), required("error", nullable_text()),
             required("checkpoint", Schema::object({required("file", nullable_text()), required("offset", Schema::integer())})),
             required("bytes_total", Schema::integer("The size of the job's files, once listed.")),
             required("bytes_done", Schema::integer("Bytes loaded so far, up to the last checkpoint.")),
             required("created_at", Schema::integer("Unix seconds.")), required("started_at", seconds_or_null()),
             required("finished_at", seconds_or_null())},
            "One source's files for one day, loaded with checkpoints."));
    c.emplace(
        "Error",
        Schema::object(
            {required("error",
                      Schema::object({required("type", Schema::string().one_of({"invalid_request_error", "authentication_error",
                                                                                "permission_error", "rate_limit_error",
                                                                                "idempotency_error", "api_error"})),
                                      required("code", Schema::string("See the error reference.")),
                                      required("message", Schema::string()),
                                      schema::optional("param", Schema::string("The parameter at fault.")),
                                      required("docs_url", Schema::string().format("uri")),
                                      required("request_id", Schema::string()), required("suggestion", Schema::string())}))},
            "Every failure answers this envelope."));
    return c;
  }();
  return all;
}

}  // namespace ptmc::api
