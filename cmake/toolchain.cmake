# Every toolchain difference in one place.
#   PATOMIC_CORE_FLAGS       compile flags for the core
#   PATOMIC_WASM_LINK_FLAGS  link flags for the module
#   patomic_finish_module()  post-link steps (wasm-opt) and where the module lands
set(PATOMIC_EXPORTS ptmc_alloc ptmc_configure ptmc_prepare ptmc_start ptmc_resume ptmc_output ptmc_output_len ptmc_release
    ptmc_max_request_body)

# The module is optimised for size: most of it is I/O-bound glue, declarations and the
# reference, and every byte is downloaded and compiled per isolate. -Oz, not -Os: at -Os the
# wasi libc++ (ABI 2) inlines std::string's construction and destruction into every literal,
# tripling the declarations' code (docs/decisions.md 34). The CPU-bound parts (wasm/crypto,
# the XML and record readers) keep -O3 (see CMakeLists.txt).
set(PATOMIC_WASM_OPT_FLAGS -Oz)

if(EMSCRIPTEN)
  set(PATOMIC_WASM ON)
  # Emscripten 3.1.6's libc++ has only <experimental/coroutine> (see wasm/compat/platform.hpp).
  set(PATOMIC_CORE_FLAGS -fno-exceptions -fno-rtti -mtail-call -Wno-deprecated-experimental-coroutine ${PATOMIC_WASM_OPT_FLAGS})
  list(TRANSFORM PATOMIC_EXPORTS PREPEND "_" OUTPUT_VARIABLE _em_exports)
  list(JOIN _em_exports "," _em_exports)
  set(PATOMIC_WASM_LINK_FLAGS -fno-exceptions -fno-rtti -mtail-call -sSTANDALONE_WASM=1 --no-entry -sALLOW_MEMORY_GROWTH=1
      -sTOTAL_STACK=1048576 -Wl,--stack-first -sERROR_ON_UNDEFINED_SYMBOLS=1 "-sEXPORTED_FUNCTIONS=${_em_exports}")
elseif(CMAKE_SYSTEM_PROCESSOR STREQUAL "wasm32")
  set(PATOMIC_WASM ON)
  set(PATOMIC_CORE_FLAGS -fno-exceptions -fno-rtti -mtail-call ${PATOMIC_WASM_OPT_FLAGS})
  # --stack-first: the stack sits below the data, so an overflow traps (out of bounds) instead
  # of silently overwriting static data.
  set(PATOMIC_WASM_LINK_FLAGS -fno-exceptions -fno-rtti -mtail-call -mexec-model=reactor -Wl,-z,stack-size=1048576 -Wl,--stack-first
      -Wl,--strip-debug)
else()
  set(PATOMIC_WASM OFF)
  set(PATOMIC_CORE_FLAGS -fno-exceptions)
  option(PATOMIC_SANITIZE "Build native code with ASan and UBSan" OFF)
  if(PATOMIC_SANITIZE)
    # fuzzer-no-link: coverage for the libFuzzer targets in tests/fuzz, inert elsewhere.
    # -fno-sanitize=function: clang 14 cannot emit that check's prologue data for coroutine
    # functions once coverage is on ("Cannot represent a difference across sections").
    # -O1, as ASan recommends: at -O0 the suite ran 4x and fuzz_request 10x slower, for 4 more
    # minutes of build. The coverage ignorelist keeps the fuzzers' features to this project's
    # functions (cmake/coverage-ignorelist.txt).
    add_compile_options(-O1 -fsanitize=address,undefined,fuzzer-no-link -fno-sanitize=function
                        -fno-sanitize-recover=undefined -fno-omit-frame-pointer
                        -fsanitize-coverage-ignorelist=${CMAKE_CURRENT_LIST_DIR}/coverage-ignorelist.txt)
    add_link_options(-fsanitize=address,undefined)
  endif()
endif()

# wasm-opt after link, with the features named: Emscripten strips the target_features section
# it would detect them from, and coroutine symmetric transfer needs tail calls (V8 >= 11.2).
# the optimised module is what the shim imports (dist/patomic.wasm is a
# copy made by scripts/build for the toolchain that wrangler should serve).
# After -O2, functions are ordered by use, which changes no code and gzips better (9 KB raw and
# 0.7 KB gzip off the wasi module; wasm-opt -Oz is smaller raw but larger gzipped).
function(patomic_finish_module target)
  set_target_properties(${target} PROPERTIES SUFFIX ".wasm")
  find_program(WASM_OPT wasm-opt REQUIRED)
  add_custom_command(TARGET ${target} POST_BUILD
    COMMAND ${WASM_OPT} -O2 --reorder-functions --enable-tail-call --enable-simd --enable-sign-ext --enable-mutable-globals --strip-debug --strip-producers $<TARGET_FILE:${target}> -o $<TARGET_FILE:${target}>
    COMMENT "wasm-opt -O2 $<TARGET_FILE_NAME:${target}>")
endfunction()
