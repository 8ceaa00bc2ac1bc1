// wasm/schema/object_type: an object declared once gives its SELECT list, its renderer, its
// OpenAPI component and its example, and the patent object is served from its declaration.
#include "wasm/accounts/keys.hpp"
#include "wasm/api/handlers.hpp"
#include "wasm/api/ingestion.hpp"
#include "wasm/api/patents.hpp"
#include "wasm/api/portfolios.hpp"
#include "wasm/api/webhooks.hpp"
#include "wasm/events/events.hpp"
#include "wasm/schema/object_type.hpp"

#include <catch2/catch.hpp>

using namespace ptmc;
using schema::Field;
using schema::ObjectType;
using schema::Schema;

namespace {

std::vector<Field> widget_fields(Field second) { return {{"id", Schema::string(), "w.id", "w_1"}, std::move(second)}; }

}  // namespace

TEST_CASE("changing one field's declaration changes the SELECT list, the renderer, the component and the example",
          "[object_type]") {
  ObjectType before("widget", "A widget.", widget_fields({"colour", Schema::string(), "w.colour", "red"}));
  ObjectType after("widget", "A widget.", widget_fields({"size", Schema::integer().nullable(), "w.size_mm", 12}));

  CHECK(before.select_list() == "w.id AS id, w.colour AS colour");
  CHECK(after.select_list() == "w.id AS id, w.size_mm AS size");

  Json row = {{"id", "w_2"}, {"colour", "blue"}, {"size", 30}};
  CHECK(before.render(row) == Json{{"object", "widget"}, {"id", "w_2"}, {"colour", "blue"}});
  CHECK(after.render(row) == Json{{"object", "widget"}, {"id", "w_2"}, {"size", 30}});

  Json component = after.schema().to_json();
  CHECK(component["properties"].contains("size"));
  CHECK_FALSE(component["properties"].contains("colour"));
  CHECK(component["properties"]["size"]["type"] == Json::array({"integer", "null"}));
  CHECK(component["required"] == Json::array({"object", "id", "size"}));

  CHECK(before.example() == Json{{"object", "widget"}, {"id", "w_1"}, {"colour", "red"}});
  CHECK(after.example() == Json{{"object", "widget"}, {"id", "w_1"}, {"size", 12}});
  // The example is an instance of the schema, and so is what the renderer makes of a row.
  for (const auto& type : {before, after}) {
    Violations violations;
    type.schema().check(type.example(), "example", violations);
    type.schema().check(type.render(row), "rendered", violations);
    CHECK(violations.empty());
  }
}

TEST_CASE("a field the handler adds is optional, neither selected nor rendered, and in the full example only", "[object_type]") {
  ObjectType widget("widget", "A widget.", widget_fields({"secret", Schema::string(), "", "s_1"}));
  CHECK(widget.select_list() == "w.id AS id");
  CHECK(widget.render({{"id", "w_2"}, {"secret", "leaked"}}) == Json{{"object", "widget"}, {"id", "w_2"}});
  CHECK(widget.schema().to_json()["required"] == Json::array({"object", "id"}));
  CHECK(widget.schema().to_json()["properties"].contains("secret"));
  CHECK(widget.example() == Json{{"object", "widget"}, {"id", "w_1"}});
  CHECK(widget.example(true) == Json{{"object", "widget"}, {"id", "w_1"}, {"secret", "s_1"}});
}

TEST_CASE("a field the handler always adds is required and in every example, yet neither selected nor rendered",
          "[object_type]") {
  ObjectType widget("widget", "A widget.",
                    widget_fields(schema::added_field("parts", Schema::array(Schema::string()), {"bolt"})));
  CHECK(widget.select_list() == "w.id AS id");
  CHECK(widget.render({{"id", "w_2"}, {"parts", {"nut"}}}) == Json{{"object", "widget"}, {"id", "w_2"}});
  CHECK(widget.schema().to_json()["required"] == Json::array({"object", "id", "parts"}));
  CHECK(widget.example() == Json{{"object", "widget"}, {"id", "w_1"}, {"parts", {"bolt"}}});
}

TEST_CASE("declared objects are the components of the OpenAPI document", "[object_type]") {
  for (const auto& [component, type] :
       {std::pair{"ApiKey", &accounts::api_key_object()}, std::pair{"KeyContext", &api::key_context_object()},
        std::pair{"AuditEvent", &api::audit_event_object()}, std::pair{"Patent", &api::patent_object()},
        std::pair{"Citation", &api::citation_object()}, std::pair{"Assignment", &api::assignment_object()},
        std::pair{"ChainOfTitle", &api::chain_of_title_object()}, std::pair{"Maintenance", &api::maintenance_object()},
        std::pair{"Assignee", &api::assignee_object()}, std::pair{"CpcCode", &api::cpc_code_object()},
        std::pair{"SearchResult", &api::search_result_object()}, std::pair{"Portfolio", &api::portfolio_object()},
        std::pair{"PortfolioPatent", &api::portfolio_patent_object()}, std::pair{"Event", &events::event_object()},
        std::pair{"WebhookEndpoint", &api::webhook_endpoint_object()},
        std::pair{"WebhookAttempt", &api::webhook_attempt_object()}, std::pair{"IngestionJob", &api::ingestion_job_object()},
        std::pair{"IngestionError", &api::ingestion_error_object()}}) {
    INFO(component);
    CHECK(api::components().at(component).to_json() == type->schema().to_json());
    Violations violations;  // and its examples are instances of it
    type->schema().check(type->example(), "example", violations, &api::components());
    type->schema().check(type->example(true), "full example", violations, &api::components());
    CHECK(violations.message() == "");
  }
  for (const auto& route : api::routes())
    for (const auto& reply : route.operation.replies)
      if (reply.body && reply.body->to_json() == Json{{"$ref", "#/components/schemas/Portfolio"}})
        CHECK(reply.example == api::portfolio_object().example());
}

TEST_CASE("the patent object is selected, rendered, documented and exemplified from its one declaration", "[object_type]") {
  const auto& patent = api::patent_object();
  Json detail = api::components().at("PatentDetail").to_json();
  Json properties = patent.schema().to_json()["properties"];
  for (const auto& [name, property] : properties.items()) CHECK(detail["properties"][name] == property);

  for (const auto& route : api::routes()) {
    if (route.operation.id != "listPatents" && route.operation.id != "getPatent") continue;
    Json example = route.operation.replies.at(0).example;
    Json instance = route.operation.id == "listPatents" ? example["data"][0] : example;
    Json example_patent = patent.example();
    for (const auto& [name, value] : example_patent.items()) CHECK(instance[name] == value);
  }
}
