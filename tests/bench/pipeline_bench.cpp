// The request pipeline natively (native-release preset): the cost of the core itself per
// request, with the native host's in-process bindings. Prints one JSON object.
#include "bindings/native_host/host.hpp"

#include <chrono>
#include <cstdio>

namespace {

double microseconds_per_request(ptmc::native::Host& host, const char* method, const char* path, int requests) {
  auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < requests; ++i) {
    auto response = host.fetch(method, path);
    if (response.status == 0) std::abort();
    if (host.logs.size() > 1024) host.logs.clear();
    host.effect_log.clear();
    host.effects.clear();
  }
  std::chrono::duration<double, std::micro> elapsed = std::chrono::steady_clock::now() - start;
  return elapsed.count() / requests;
}

}  // namespace

int main(int argc, char** argv) {
  int requests = argc > 1 ? std::atoi(argv[1]) : 20000;
  ptmc::native::Host host;
  double livez = microseconds_per_request(host, "GET", "/livez", requests);
  double not_found = microseconds_per_request(host, "GET", "/v1/no-such-route", requests);
  double readyz = microseconds_per_request(host, "GET", "/readyz", requests);
  // The reference is rendered on an isolate's first request for it, then served from memory.
  double openapi = microseconds_per_request(host, "GET", "/v1/openapi.json", requests / 20);
  double docs = microseconds_per_request(host, "GET", "/docs", requests / 20);
  std::printf(
      "{\"requests\":%d,\"livez_us\":%.2f,\"not_found_us\":%.2f,\"readyz_us\":%.2f,\"openapi_us\":%.2f,"
      "\"docs_us\":%.2f}\n",
      requests, livez, not_found, readyz, openapi, docs);
  return 0;
}
