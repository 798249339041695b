// The admin console's glue: stats and changes handed to .NET, and the connection's state told.
import { test } from "node:test";
import assert from "node:assert/strict";
import { openRolloutStream } from "../../wwwroot/js/rollout-interop.js";
import { startServer, openSse, signal } from "./support-server.mjs";

test("Stats and changes reach .NET, and OnConnection says the stream is live", async (t) => {
  const server = await startServer((req, res) => {
    const sse = openSse(res);
    sse.send("stats", { variants: [] });
    sse.send("changed", { killSwitch: true });
    sse.send("unknown", {});
  });
  t.after(() => server.close());
  const calls = [];
  const changed = signal();
  const stream = openRolloutStream(server.url("/api/admin/rollout/stream"), {
    invokeMethodAsync(name, ...args) {
      calls.push([name, ...args]);
      if (name === "OnChanged") changed.resolve();
      return Promise.resolve();
    },
  });
  t.after(() => stream.close());

  await changed.promise;

  assert.deepEqual(calls, [
    ["OnConnection", "live"],
    ["OnStats", { variants: [] }],
    ["OnChanged", { killSwitch: true }],
  ]);
});

test("A refused stream is told as stopped, and a closed circuit's rejection is swallowed", async (t) => {
  const server = await startServer((req, res) => {
    res.writeHead(403);
    res.end();
  });
  t.after(() => server.close());
  const stopped = signal();
  const states = [];
  const stream = openRolloutStream(server.url("/api/admin/rollout/stream"), {
    invokeMethodAsync(name, state) {
      states.push(state);
      if (name === "OnConnection" && state === "stopped") stopped.resolve();
      return Promise.reject(new Error("The circuit is gone."));
    },
  });
  t.after(() => stream.close());

  await stopped.promise;

  assert.deepEqual(states, ["stopped"], "a 403 is not retried");
});
