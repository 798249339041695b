// The operations dashboard's glue: snapshots handed to .NET, other events ignored, the connection's state told.
import { test } from "node:test";
import assert from "node:assert/strict";
import { openJobsStream } from "../../wwwroot/js/jobs-interop.js";
import { startServer, openSse, signal } from "./support-server.mjs";

test("Snapshots reach .NET after OnConnection says the stream is live; other events do not", async (t) => {
  const server = await startServer((req, res) => {
    const sse = openSse(res);
    sse.send("unknown", {});
    sse.send("snapshot", { depth: { PENDING: 2 } });
  });
  t.after(() => server.close());
  const calls = [];
  const snapshot = signal();
  const stream = openJobsStream(server.url("/api/admin/jobs/stream"), {
    invokeMethodAsync(name, ...args) {
      calls.push([name, ...args]);
      if (name === "OnSnapshot") snapshot.resolve();
      return Promise.resolve();
    },
  });
  t.after(() => stream.close());

  await snapshot.promise;

  assert.deepEqual(calls, [
    ["OnConnection", "live"],
    ["OnSnapshot", { depth: { PENDING: 2 } }],
  ]);
});

test("A refused stream (a learner's 403) is told as stopped and not retried", async (t) => {
  let requests = 0;
  const server = await startServer((req, res) => {
    requests++;
    res.writeHead(403);
    res.end();
  });
  t.after(() => server.close());
  const stopped = signal();
  const states = [];
  const stream = openJobsStream(server.url("/api/admin/jobs/stream"), {
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
