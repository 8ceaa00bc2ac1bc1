// What a route declares it answers, checked against what it answered. Native builds (the
// tests and fuzzers) run this on every response (wasm/app/entry.cpp) and the native host fails
// the test that made the request, so every flow test is also a contract test; the module does
// not carry it.
#pragma once

#include "wasm/http/context.hpp"
#include "wasm/schema/schema.hpp"

#include <string>
#include <vector>

namespace ptmc::reference {

// Every way `response` departs from the declaration of the request's route (none matched:
// the answers the router gives): a status the route does not declare, a media type other
// than the declared one, a body its schema refuses (refs resolved through `components`), and
// for a failure an envelope that is not the Error component or a code the route does not
// document with that status.
std::vector<std::string> contract_violations(const RequestContext& context, const http::Response& response,
                                             const schema::Components& components);

}  // namespace ptmc::reference
