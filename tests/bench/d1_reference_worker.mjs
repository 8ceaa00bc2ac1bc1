// Reference for scripts/bench: the least a Worker can do per request, in plain JS. /d1 makes
// one trivial D1 query: the ceiling of any path that needs a D1 round trip on this machine.
export default {
  async fetch(request, env) {
    if (new URL(request.url).pathname === "/d1") return Response.json(await env.DB.prepare("SELECT 1 AS ok").first());
    return new Response("not found", { status: 404 });
  },
};
