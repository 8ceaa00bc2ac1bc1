// Arbitrary HTTP requests through the whole pipeline on the native host. Input layout:
//   METHOD \n TARGET \n (NAME: VALUE \n)* \n BODY
// A header line "auth: owner" is replaced by a real owner key, so authenticated routes (key
// management, idempotency, cursors) are reached too.
// Every response must keep the contract: a real status, secure headers, a request id, and
// for every error the one JSON envelope. Each input runs on the Wasm module's stack
// (tests/fuzz/main.cpp), and on the same state (the host's scratch mode rolls back what the input wrote), so a crash
// reproduces from its input alone and the database does not grow from input to input.
#include "bindings/native_host/host.hpp"

#include <cstdlib>
#include <string_view>

namespace {

void require(bool condition) {
  if (!condition) std::abort();
}

// One request, and the contract every answer keeps.
void check_request(ptmc::native::Host& host, const std::string& owner_key, std::string_view rest) {
  std::string method(ptmc::http::take_until(rest, '\n'));
  std::string target(ptmc::http::take_until(rest, '\n'));
  if (target.empty() || target.front() != '/') target.insert(target.begin(), '/');
  ptmc::http::Headers headers;
  for (auto line = ptmc::http::take_until(rest, '\n'); !line.empty(); line = ptmc::http::take_until(rest, '\n')) {
    auto colon = line.find(':');
    if (line == "auth: owner") headers.append("authorization", "Bearer " + owner_key);
    else if (colon != std::string_view::npos) headers.append(line.substr(0, colon), std::string(line.substr(colon + 1)));
  }
  auto frame = ptmc::http::request_to_frame("fetch", method, "https://api.patomic.test" + target, headers);
  if (!rest.empty()) frame.meta["body"] = frame.add_blob(std::string(rest));
  auto done = host.run(std::move(frame));
  if (done.meta.contains("rejected")) return;  // malformed at the wire level: the shim throws

  auto response = ptmc::http::response_from_frame(done);
  require(response && response->status >= 100 && response->status <= 599);
  require(response->headers.has("x-request-id") && response->headers.get("x-content-type-options") == "nosniff");
  if (response->status >= 400) {
    auto body = ptmc::parse_json(response->body);
    require(body && body->is_object() && body->size() == 1 && body->contains("error"));
    const auto& error = (*body)["error"];
    for (const char* field : {"type", "code", "message", "docs_url", "request_id", "suggestion"})
      require(ptmc::string_field(error, field) != nullptr);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static ptmc::native::Host host([] {
    ptmc::native::Host::Options options;
    options.vars["CORS_ALLOWED_ORIGINS"] = "https://app.patomic.dev";
    options.vars.erase("PATOMIC_DEBUG_ROUTES");  // the trap route would end the run
    return options;
  }());
  static const std::string owner_key = [] {
    auto done = host.run(ptmc::wire::Frame{
        {{"entry", "command"}, {"command", "create_owner_key"}, {"email", "fuzz@example.com"}, {"organisation", "Fuzz"}}, {}});
    return done.meta.value("secret", "");
  }();
  host.begin_scratch();
  check_request(host, owner_key, {reinterpret_cast<const char*>(data), size});
  host.end_scratch();
  return 0;
}
