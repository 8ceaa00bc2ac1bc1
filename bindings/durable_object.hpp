// Durable Objects: calling a named object from a worker task, and the object's own
// transactional storage from inside its task. Objects hibernate: state lives in storage.
#pragma once

#include "wasm/http/message.hpp"
#include "wasm/runtime/effect.hpp"

#include <map>
#include <string>
#include <vector>

namespace ptmc::durable_object {

// `binding` is the namespace's binding name (e.g. "ENTITIES"); `name` picks the object.
Effect<http::Response> call(std::string binding, std::string name, http::Request request);
// The effect request of call(), for callers that decode the answer themselves.
EffectRequest call_request(std::string binding, std::string name, http::Request request);

namespace storage {
// Values are JSON, stored as the platform's structured clone of it.
Effect<std::map<std::string, Json>> get(std::vector<std::string> keys);
Effect<bool> put(std::map<std::string, Json> entries);
Effect<bool> remove(std::vector<std::string> keys);
}  // namespace storage

}  // namespace ptmc::durable_object
