// Operator commands: entries the shim never routes from HTTP, run by scripts (scripts/create-key)
// through the same engine and bindings. Start meta: {"entry":"command","command":NAME,...}.
#pragma once

#include "wasm/runtime/task.hpp"
#include "wasm/runtime/wire.hpp"

namespace ptmc::accounts {

// create_owner_key {email, organisation, mode?, rate_limit_per_minute?}: the first owner key of a new user (and their
// organisation), or another owner key for an existing owner. Answers {ok, secret, key_id, ...}.
// create_operator_key {email, mode?, rate_limit_per_minute?}: the same for a platform operator, a user of the
// platform's own organisation, whose keys alone may hold the platform scopes (ingestion). Only this
// command makes one: no API route can.
Task<wire::Frame> on_command(wire::Frame input);

}  // namespace ptmc::accounts
