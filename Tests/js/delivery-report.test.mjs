import { test } from "node:test";
import assert from "node:assert/strict";
import { sendReport } from "../../wwwroot/js/delivery-report.js";
import { deliveryError } from "../../wwwroot/js/delivery-errors.js";
import { startServer, sendJson } from "./support-server.mjs";

test("Posts the job, mode, kind and a bounded detail with the caller's headers", async (t) => {
  const server = await startServer((req, res) => sendJson(res, 204));
  t.after(() => server.close());
  const error = deliveryError("network", "x".repeat(2_000), { status: 502, reason: "heartbeat" });
  await sendReport({ jobId: "j1" }, "hybrid", "fallback", error, {
    reportUrl: server.url("/api/delivery/reports"),
    headers: async () => ({ Authorization: "Bearer t" }),
  });
  const [request] = server.requests;
  assert.equal(request.method, "POST");
  assert.equal(request.headers.authorization, "Bearer t");
  assert.equal(request.headers["content-type"], "application/json");
  const body = JSON.parse(request.body);
  assert.equal(body.jobId, "j1");
  assert.equal(body.mode, "hybrid");
  assert.equal(body.kind, "fallback");
  assert.ok(body.detail.startsWith("network 502 (heartbeat): xxx"));
  assert.equal(body.detail.length, 500);
});

test("Never rejects: an unreachable server or a failing headers callback is swallowed", async () => {
  const error = deliveryError("network", "down");
  await sendReport({ jobId: "j" }, "sse", "gave-up", error, { reportUrl: "http://127.0.0.1:9/none" });
  await sendReport({ jobId: "j" }, "sse", "gave-up", error, {
    reportUrl: "http://127.0.0.1:9/none",
    headers: async () => {
      throw new Error("no token");
    },
  });
});

test("An aborted caller signal stops the report without an error", async (t) => {
  const server = await startServer(() => {}); // never answers
  t.after(() => server.close());
  const controller = new AbortController();
  const sent = sendReport({ jobId: "j" }, "sse", "gave-up", deliveryError("network", "x"), {
    reportUrl: server.url("/r"),
    signal: controller.signal,
  });
  await server.waitForRequests(1);
  controller.abort();
  await sent;
  assert.equal(server.requests.length, 1);
});
