import { test } from "node:test";
import assert from "node:assert/strict";
import { openEventStream } from "../../wwwroot/js/named-event-stream.js";
import { startServer, openSse, sendJson, signal, recordingSleep } from "./support-server.mjs";

const ROLLOUT = "/api/admin/rollout/stream";

async function serve(t, handler) {
  const server = await startServer(handler);
  t.after(() => server.close());
  return server;
}

test("Hands over named events with their JSON data, follows the stream across a drop, and close() stops it", async (t) => {
  const server = await serve(t, (req, res, info) => {
    const sse = openSse(res);
    sse.send("changed", { killSwitch: info.index === 1 });
    sse.send("stats", { variants: [{ variant: "sse", users: info.index + 1 }] });
    if (info.index === 0) sse.drop(); // the second connection stays open
  });
  const events = [];
  let opened = 0;
  const errors = [];
  const four = signal();
  const stream = openEventStream(server.url(ROLLOUT), {
    onOpen: () => opened++,
    onError: (error, meta) => errors.push([error.kind, meta.willRetry]),
    onEvent: (type, data) => {
      events.push([type, data]);
      if (events.length === 4) four.resolve();
    },
  });
  await four.promise;
  assert.deepEqual(events, [
    ["changed", { killSwitch: false }],
    ["stats", { variants: [{ variant: "sse", users: 1 }] }],
    ["changed", { killSwitch: true }],
    ["stats", { variants: [{ variant: "sse", users: 2 }] }],
  ]);
  assert.equal(opened, 2);
  assert.deepEqual(errors, [["network", true]]);
  assert.equal(server.requests[0].headers.accept, "text/event-stream");

  stream.close();
  await stream.closed;
  await server.requests[1].closed;
  assert.equal(server.requests.length, 2);
  assert.deepEqual(errors, [["network", true]], "closing is not an error");
});

test("Back-off grows while connections fail and starts again after one that delivered events", async (t) => {
  const server = await serve(t, (req, res, info) => {
    if (info.index === 0 || info.index === 1 || info.index === 3) return sendJson(res, 503, {});
    const sse = openSse(res, { retry: 1000 });
    sse.send("stats", { n: info.index });
    if (info.index === 2) sse.drop();
  });
  const { delays, sleep } = recordingSleep();
  const last = signal();
  const stream = openEventStream(server.url(ROLLOUT), {
    sleep,
    random: () => 0,
    onEvent: (type, data) => data.n === 4 && last.resolve(),
  });
  await last.promise;
  // 3 s and 6 s before any event; after the third connection's stats, the server's 1 s again.
  assert.deepEqual(delays, [3000, 6000, 1000, 2000]);
  stream.close();
  await stream.closed;
});

test("A 403 stops it, reported once as final, without reconnecting", async (t) => {
  const server = await serve(t, (req, res) => sendJson(res, 403, { status: 403 }));
  const errors = [];
  const stream = openEventStream(server.url(ROLLOUT), {
    onError: (error, meta) => errors.push([error.kind, error.status, meta.willRetry]),
  });
  await stream.closed;
  assert.deepEqual(errors, [["http", 403, false]]);
  assert.equal(server.requests.length, 1);
});
