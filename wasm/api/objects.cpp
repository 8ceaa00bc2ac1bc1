// The public objects, as the OpenAPI document's components. Each matches what its renderer
// writes (accounts::key_json, the audit list, whoami, error_response); the integration test
// checks live responses against these.
#include "wasm/api/handlers.hpp"
#include "wasm/auth/principal.hpp"

namespace ptmc::api {
namespace {

using schema::required;
using schema::Schema;

std::vector<schema::Property> key_properties() {
  auto timestamp = [](std::string text) { return Schema::integer(std::move(text) + " Unix seconds.").nullable(); };
  return {required("id", Schema::string()),
          required("object", Schema::string().one_of({"api_key"})),
          required("name", Schema::string()),
          required("mode", Schema::string().one_of({"live", "test"})),
          required("prefix", Schema::string("The first characters of the secret, to recognise it.")),
          required("last4", Schema::string("The last four characters of the secret.")),
          required("role", Schema::string().one_of({"owner", "admin", "member", "read_only"})),
          required("scopes", Schema::array(Schema::string())),
          required("rate_limit_per_minute", Schema::integer()),
          required("created_at", timestamp("Creation,")),
          required("expires_at", timestamp("When the key stops working (set by a roll),")),
          required("revoked_at", timestamp("Revocation,")),
          required("replaced_by", Schema::string("The key that a roll replaced this one with.").nullable())};
}

Schema key_with(std::vector<schema::Property> extra, std::string description) {
  auto properties = key_properties();
  for (auto& property : extra) properties.push_back(std::move(property));
  return Schema::object(std::move(properties), std::move(description));
}

}  // namespace

const schema::Components& components() {
  static const schema::Components all = [] {
    auto secret = required("secret", Schema::string("The key itself. Shown only in this response: store it now."));
    schema::Components c;
    c.emplace("ApiKey", Schema::object(key_properties(), "An API key. Its secret is never shown again after creation."));
    c.emplace("ApiKeyWithSecret", key_with({secret}, "A key just created, with its secret."));
    c.emplace("RolledApiKey",
              key_with({secret, required("rolled_from", Schema::object({required("id", Schema::string()),
                                                                        required("expires_at", Schema::integer("Unix seconds."))}))},
                       "The key that replaces a rolled one, with its secret."));
    c.emplace("KeyContext",
              Schema::object({required("object", Schema::string().one_of({"key_context"})), required("key_id", Schema::string()),
                              required("org_id", Schema::string()), required("user_id", Schema::string()),
                              required("mode", Schema::string().one_of({"live", "test"})),
                              required("role", Schema::string().one_of({"owner", "admin", "member", "read_only"})),
                              required("scopes", Schema::array(Schema::string())),
                              required("rate_limit_per_minute", Schema::integer())},
                             "Who the calling key acts as."));
    c.emplace("AuditEvent",
              Schema::object({required("id", Schema::integer()), required("object", Schema::string().one_of({"audit_event"})),
                              required("event", Schema::string("key.created, key.rolled, key.revoked, rate_limit.exceeded, …")),
                              required("created_at", Schema::integer("Unix seconds.")),
                              required("key_id", Schema::string("The key that acted, if any.").nullable()),
                              required("actor_ip", Schema::string().nullable()),
                              required("request_id", Schema::string().nullable()),
                              required("detail", Schema::any_object("What the event concerns."))},
                             "One security-relevant event."));
    c.emplace("Error",
              Schema::object({required("error", Schema::object({required("type", Schema::string().one_of(
                                                                                      {"invalid_request_error", "authentication_error",
                                                                                       "permission_error", "rate_limit_error",
                                                                                       "idempotency_error", "api_error"})),
                                                                 required("code", Schema::string("See the error reference.")),
                                                                 required("message", Schema::string()),
                                                                 schema::optional("param", Schema::string("The parameter at fault.")),
                                                                 required("docs_url", Schema::string().format("uri")),
                                                                 required("request_id", Schema::string()),
                                                                 required("suggestion", Schema::string())}))},
                             "Every failure answers this envelope."));
    return c;
  }();
  return all;
}

}  // namespace ptmc::api
