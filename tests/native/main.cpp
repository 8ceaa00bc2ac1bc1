// The Catch2 runner. Every test runs on a thread with the Wasm module's stack (1 MiB, the
// `-z stack-size` of cmake/toolchain.cmake), not the native 8 MB, so that anything recursing
// on input overflows here as it would in the module. ASan makes native frames larger than
// Wasm's, so passing here leaves the module a margin.
#define CATCH_CONFIG_RUNNER
#include <catch2/catch.hpp>

#include <pthread.h>

namespace {

constexpr size_t kWasmStackBytes = 1024 * 1024;

struct Arguments {
  int argc;
  char** argv;
  int result = 1;
};

void* run_session(void* raw) {
  auto* arguments = static_cast<Arguments*>(raw);
  arguments->result = Catch::Session().run(arguments->argc, arguments->argv);
  return nullptr;
}

}  // namespace

int main(int argc, char** argv) {
  Arguments arguments{argc, argv};
  pthread_attr_t attributes;
  pthread_attr_init(&attributes);
  pthread_attr_setstacksize(&attributes, kWasmStackBytes);
  pthread_t thread;
  if (pthread_create(&thread, &attributes, run_session, &arguments) != 0) return 2;
  pthread_join(thread, nullptr);
  pthread_attr_destroy(&attributes);
  return arguments.result;
}
