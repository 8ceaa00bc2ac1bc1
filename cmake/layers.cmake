# The core's layers, lowest first. A file may include files of its own layer or a lower one,
# never a higher one: tests/CMakeLists.txt runs cmake/check_layers.cmake as the test `layers`,
# and each layer is its own static library, linked only to the layer below.
#
#   runtime   tasks, effects, JSON, and the ABI: frames (wasm/runtime/wire) and the HTTP messages
#             they carry (wasm/http/message)
#   bindings  one module per Cloudflare binding, each a typed effect
#   http      requests as the API sees them: router, context, pagination, errors, schema and
#             validation, configuration, and the pure pieces they need (crypto, net, auth)
#   domain    what the product knows: accounts, events, patents, webhooks, ingestion, the
#             Durable Objects and background jobs
#   api       middleware, handlers, the reference, and the entry points
#
# A path belongs to the layer of its longest listed prefix (a folder, or a file without its
# extension). Hosts (bindings/native_host) and tests sit above every layer.
set(PATOMIC_LAYERS runtime bindings http domain api)
set(PATOMIC_LAYER_runtime wasm/compat wasm/runtime wasm/http/message)
set(PATOMIC_LAYER_bindings bindings)
set(PATOMIC_LAYER_http wasm/http wasm/schema wasm/config wasm/crypto wasm/net wasm/auth)
set(PATOMIC_LAYER_domain wasm/accounts wasm/events wasm/patents wasm/webhooks wasm/ingest wasm/durable_objects
    wasm/background)
set(PATOMIC_LAYER_api wasm/middleware wasm/api wasm/reference wasm/app)
set(PATOMIC_LAYER_HOSTS bindings/native_host)

# Sets `out` to the layer of `path` (relative to the source root), or to "" when none lists it.
function(patomic_layer_of path out)
  set(best "")
  set(best_length 0)
  foreach(layer IN LISTS PATOMIC_LAYERS)
    foreach(prefix IN LISTS PATOMIC_LAYER_${layer})
      string(LENGTH "${prefix}" length)
      if(path MATCHES "^${prefix}[/.]" AND length GREATER best_length)
        set(best ${layer})
        set(best_length ${length})
      endif()
    endforeach()
  endforeach()
  set(${out} "${best}" PARENT_SCOPE)
endfunction()
