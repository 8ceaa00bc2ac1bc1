// Every effect kind the core can ask its host for, declared once. The bindings build their
// requests from these; the shim (worker-shim/effects.mjs) and the native host
// (bindings/native_host) each answer exactly this list, which a test holds them to
// (tests/flow/bindings_test.cpp, tests/integration/effects.test.mjs).
#pragma once

#include "wasm/runtime/effect.hpp"

namespace ptmc::effect_kind {

inline constexpr EffectKind d1_first{"d1.first", true};
inline constexpr EffectKind d1_all{"d1.all", true};
inline constexpr EffectKind d1_run{"d1.run", true};
inline constexpr EffectKind d1_batch{"d1.batch", true};
inline constexpr EffectKind kv_get{"kv.get"};
inline constexpr EffectKind kv_put{"kv.put"};
inline constexpr EffectKind r2_get{"r2.get"};
inline constexpr EffectKind r2_head{"r2.head"};
inline constexpr EffectKind r2_put{"r2.put"};
inline constexpr EffectKind r2_put_from_url{"r2.put_from_url"};
inline constexpr EffectKind r2_unpack{"r2.unpack"};
inline constexpr EffectKind r2_delete{"r2.delete"};
inline constexpr EffectKind r2_list{"r2.list"};
inline constexpr EffectKind queue_send{"queue.send"};
inline constexpr EffectKind queue_send_batch{"queue.sendBatch"};
inline constexpr EffectKind do_call{"do.call"};
inline constexpr EffectKind do_storage_get{"do.storage.get"};
inline constexpr EffectKind do_storage_put{"do.storage.put"};
inline constexpr EffectKind do_storage_delete{"do.storage.delete"};
inline constexpr EffectKind fetch{"fetch"};
inline constexpr EffectKind timer_sleep{"timer.sleep"};

inline constexpr const EffectKind* kAll[] = {
    &d1_first,
    &d1_all,
    &d1_run,
    &d1_batch,
    &kv_get,
    &kv_put,
    &r2_get,
    &r2_head,
    &r2_put,
    &r2_put_from_url,
    &r2_unpack,
    &r2_delete,
    &r2_list,
    &queue_send,
    &queue_send_batch,
    &do_call,
    &do_storage_get,
    &do_storage_put,
    &do_storage_delete,
    &fetch,
    &timer_sleep,
};

}  // namespace ptmc::effect_kind
