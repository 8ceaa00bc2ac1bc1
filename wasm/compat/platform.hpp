// Toolchain differences live here and nowhere else.
//
// - Debian clang 14 + libc++ 14 (wasm32-wasi) and the native host have <coroutine>.
// - Emscripten 3.1.6 ships an older libc++ with only <experimental/coroutine>.
// - Both wasm toolchains honour clang's export_name attribute; natively it is a no-op.
#pragma once

#if __has_include(<coroutine>)
#include <coroutine>
namespace co = std;
#else
#include <experimental/coroutine>
namespace co = std::experimental;
#endif

#if defined(__wasm__)
#define PTMC_EXPORT(name) extern "C" __attribute__((export_name(#name)))
#else
#define PTMC_EXPORT(name) extern "C"
#endif

#if defined(__EMSCRIPTEN__)
#define PTMC_TOOLCHAIN_TARGET "wasm32-emscripten"
#elif defined(__wasi__)
#define PTMC_TOOLCHAIN_TARGET "wasm32-wasi"
#else
#define PTMC_TOOLCHAIN_TARGET "native"
#endif
