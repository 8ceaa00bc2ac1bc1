// The public objects, as the OpenAPI document's components, by name. Each object is declared
// once, as a schema::ObjectType in the file of the route group that answers it, and gives its
// component; a few components extend one (a key with its secret, a patent with its parties);
// the Error envelope is the one error_response() writes (wasm/http/errors.hpp). Every native
// test checks each response against them as it runs (wasm/reference/contract.hpp).
#include "wasm/accounts/keys.hpp"
#include "wasm/api/handlers.hpp"
#include "wasm/api/ingestion.hpp"
#include "wasm/api/patents.hpp"
#include "wasm/api/portfolios.hpp"
#include "wasm/api/webhooks.hpp"
#include "wasm/events/events.hpp"

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
    c.emplace("KeyContext", key_context_object().schema());
    c.emplace("AuditEvent", audit_event_object().schema());
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
    c.emplace("Assignment", assignment_object().schema());
    c.emplace("ChainOfTitle", chain_of_title_object().schema());
    c.emplace("Maintenance", maintenance_object().schema());
    c.emplace("Assignee", assignee_object().schema());
    c.emplace("CpcCode", cpc_code_object().schema());
    c.emplace("Portfolio", portfolio_object().schema());
    c.emplace("PortfolioPatent", portfolio_patent_object().schema());
    c.emplace("SearchResult", search_result_object().schema());
    c.emplace("Event", events::event_object().schema());
    c.emplace("WebhookEndpoint", webhook_endpoint_object().schema());
    c.emplace("WebhookAttempt", webhook_attempt_object().schema());
    c.emplace("IngestionError", ingestion_error_object().schema());
    c.emplace("IngestionJob", ingestion_job_object().schema());
    c.emplace(
        "Error",
        Schema::object(
            {required("error",
                      Schema::object(
                          {required("type", Schema::string().one_of({std::begin(kErrorTypeNames), std::end(kErrorTypeNames)})),
                           required("code", Schema::string("See the error reference.")), required("message", Schema::string()),
                           schema::optional("param", Schema::string("The parameter at fault.")),
                           required("docs_url", Schema::string().format("uri")), required("request_id", Schema::string()),
                           required("suggestion", Schema::string())}))},
            "Every failure answers this envelope."));
    return c;
  }();
  return all;
}

}  // namespace ptmc::api
