// Durable Object classes backed by the core. Objects hibernate and their constructor runs
// again on wake, so every piece of state lives in the object's storage, never in memory.
#pragma once

#include "wasm/http/message.hpp"
#include "wasm/runtime/task.hpp"
#include "wasm/runtime/wire.hpp"

namespace ptmc::durable_objects {

// Entry for a request to an object: input meta {class, name, method, url, headers, body}.
Task<wire::Frame> on_object_fetch(wire::Frame input);

// EntityRegistry (one object per name shard), POST /resolve {"names": [normalised, …]}:
// {"entities": {name: {"id", "canonical"}}}. See entity_registry.cpp.
Task<http::Response> resolve_entities(const http::Request& request);

// Firehose (one object, "events"): the event stream's sequence. POST /append
// {"events": [{"org_id", "event"}]} gives each new event (by id) the next seq and keeps it;
// POST /replay {"after", "org_id", "types", "limit"} answers the kept events after a seq that the
// organisation may see, of those types; POST /live-keys {"key_ids"} answers which of those keys
// are neither revoked nor expired, so the object closes the streams of the others. See
// firehose.cpp; the shim serves the WebSockets.
Task<http::Response> append_events(const http::Request& request);
Task<http::Response> replay_events(const http::Request& request);
Task<http::Response> live_keys(const http::Request& request);

}  // namespace ptmc::durable_objects
