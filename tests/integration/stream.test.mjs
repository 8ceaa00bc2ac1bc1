// The event stream on workerd: GET /v1/events/stream as a WebSocket (through Miniflare's
// dispatchFetch, which speaks the upgrade), served by the Firehose object with the Hibernation API.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { bearer, eventually, useWorkerWithOwner, wasmPath } from "./harness.mjs";

describe(`the event stream on workerd (${wasmPath})`, () => {
  // A small window, to reach it; no operator key, so the owner's key.created is seq 1.
  const shared = useWorkerWithOwner({ vars: { FIREHOSE_WINDOW: "3" }, withOperator: false });
  const fanOut = async () => (await shared.worker.mf.getWorker()).scheduled({ cron: "* * * * *" });
  const newKey = (name) =>
    shared.worker.get("/v1/keys", {
      method: "POST",
      headers: { ...bearer(shared.owner), "content-type": "application/json" },
      body: JSON.stringify({ name, role: "member" }),
    });
  // acking: acknowledge each message as it arrives, as a client keeping up does.
  const connect = async (cursor, { acking = true } = {}) => {
    const response = await shared.worker.mf.dispatchFetch(`http://localhost/v1/events/stream?cursor=${cursor}`, {
      headers: { upgrade: "websocket", ...bearer(shared.owner) },
    });
    assert.equal(response.status, 101);
    const socket = response.webSocket;
    const received = [];
    const closed = new Promise((resolve) => socket.addEventListener("close", (event) => resolve(event)));
    socket.addEventListener("message", (message) => {
      const { seq, event } = JSON.parse(message.data);
      received.push({ seq, event });
      if (acking) socket.send(JSON.stringify({ ack: seq }));
    });
    socket.accept();
    return { socket, received, closed };
  };

  test("the backlog in order from a cursor, then live events; a reconnect from the last seq misses nothing and repeats nothing", async () => {
    await newKey("one");
    await newKey("two");
    await fanOut();
    const first = await connect(0);
    await eventually(() => first.received.length >= 3);
    assert.deepEqual(first.received.map((m) => m.seq), [1, 2, 3]);  // the owner key's key.created, then these two
    assert.ok(first.received.every((m) => m.event.type === "key.created" && m.event.id.startsWith("evt_")));

    await newKey("three");
    await fanOut();
    await eventually(() => first.received.length >= 4);
    assert.equal(first.received[3].seq, 4);  // live
    const last = first.received.at(-1).seq;
    first.socket.close(1000, "done");

    await newKey("four");  // while disconnected
    await newKey("five");
    await fanOut();
    const again = await connect(last);
    await eventually(() => again.received.length >= 2);
    await new Promise((resolve) => setTimeout(resolve, 200));  // nothing else arrives
    assert.deepEqual(again.received.map((m) => m.seq), [last + 1, last + 2]);
    again.socket.close(1000, "done");
  });

  test("a client that stops acknowledging is closed with a reason, and resumes from its last seq", async () => {
    const slow = await connect(0, { acking: false });  // the 6 events so far, more than the window of 3
    await eventually(() => slow.received.length >= 3);
    await new Promise((resolve) => setTimeout(resolve, 200));
    assert.equal(slow.received.length, 3);  // catching up waits for acks: nothing is buffered past the window
    slow.socket.send(JSON.stringify({ ack: slow.received.at(-1).seq }));
    await eventually(() => slow.received.length >= 6);
    await newKey("six");
    await newKey("seven");
    await newKey("eight");
    await newKey("nine");
    await fanOut();  // live now, still not acknowledging: past the window it is closed
    const closed = await slow.closed;
    assert.equal(closed.code, 4008);
    assert.match(closed.reason, /^too slow/);
    const resumed = await connect(slow.received.at(-1).seq);
    await eventually(() => resumed.received.length >= 4);
    assert.deepEqual(resumed.received.map((m) => m.seq), [7, 8, 9, 10].map((n) => n));
    resumed.socket.close(1000, "done");
  });

  test("a plain request is refused with 426 websocket_required", async () => {
    const response = await shared.worker.get("/v1/events/stream", { headers: bearer(shared.owner) });
    assert.equal(response.status, 426);
    assert.equal((await response.json()).error.code, "websocket_required");
  });
});
