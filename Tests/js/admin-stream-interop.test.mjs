// The admin pages' glue: the events a page asked for handed to .NET, the others not, and the connection's state told.
import { test } from "node:test";
import assert from "node:assert/strict";
import { openAdminStream } from "../../wwwroot/js/admin-stream-interop.js";
import { startServer, openSse, signal } from "./support-server.mjs";

test("The events of the types asked for reach .NET in order after OnConnection says the stream is live; others do not", async (t) => {
  const server = await startServer((req, res) => {
    const sse = openSse(res);
    sse.send("stats", { variants: [] });
    sse.send("snapshot", { depth: { PENDING: 2 } });
    sse.send("changed", { killSwitch: true });
  });
  t.after(() => server.close());
  const calls = [];
  const changed = signal();
  const stream = openAdminStream(server.url("/api/admin/rollout/stream"), ["stats", "changed"], {
    invokeMethodAsync(name, ...args) {
      calls.push([name, ...args]);
      if (args[0] === "changed") changed.resolve();
      return Promise.resolve();
    },
  });
  t.after(() => stream.close());

  await changed.promise;

  assert.deepEqual(calls, [
    ["OnConnection", "live"],
    ["OnEvent", "stats", { variants: [] }],
    ["OnEvent", "changed", { killSwitch: true }],
  ]);
});

test("A refused stream (a learner's 403) is told as stopped, not retried, and a closed circuit's rejection is swallowed", async (t) => {
  let requests = 0;
  const server = await startServer((req, res) => {
    requests++;
    res.writeHead(403);
    res.end();
  });
  t.after(() => server.close());
  const stopped = signal();
  const states = [];
  const stream = openAdminStream(server.url("/api/admin/jobs/stream"), ["snapshot"], {
    invokeMethodAsync(name, state) {
      states.push(state);
      if (name === "OnConnection" && state === "stopped") stopped.resolve();
      return Promise.reject(new Error("The circuit is gone."));
    },
  });
  t.after(() => stream.close());

  await stopped.promise;

  assert.deepEqual(states, ["stopped"]);
  assert.equal(requests, 1);
});
