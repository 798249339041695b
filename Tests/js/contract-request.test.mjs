// One JSON request of the contract: never throws, reads problems, and renews a token once on 401.
import { test } from "node:test";
import assert from "node:assert/strict";
import { requestJson } from "../../wwwroot/js/contract-request.js";
import { startServer, sendJson } from "./support-server.mjs";

const noAuth = async () => ({});

test("A success resolves ok with the parsed body, and JSON bodies are sent as JSON", async (t) => {
  const server = await startServer((req, res) => sendJson(res, 202, { jobId: "j" }));
  t.after(() => server.close());

  const outcome = await requestJson(server.url("/q"), { method: "POST", body: { question: "Q" }, headers: { "Idempotency-Key": "k", Skipped: undefined }, authorize: noAuth });

  assert.deepEqual(outcome, { ok: true, status: 202, data: { jobId: "j" } });
  const [request] = server.requests;
  assert.equal(request.headers["content-type"], "application/json");
  assert.equal(request.headers["idempotency-key"], "k");
  assert.equal(request.headers.skipped, undefined);
  assert.deepEqual(JSON.parse(request.body), { question: "Q" });
});

test("A problem resolves not ok with its title, detail and Retry-After", async (t) => {
  const server = await startServer((req, res) => sendJson(res, 409, { title: "Conflict", detail: "Already retried." }, { "Retry-After": "3" }));
  t.after(() => server.close());

  const outcome = await requestJson(server.url("/r"), { method: "POST", authorize: noAuth });

  assert.deepEqual(outcome, { ok: false, status: 409, title: "Conflict", detail: "Already retried.", offline: false, retryAfter: "3", data: null });
});

test("A 401 invalidates the token and the request is made once more with a fresh one", async (t) => {
  const server = await startServer((req, res, info) =>
    info.headers.authorization === "Bearer old" ? sendJson(res, 401, {}) : sendJson(res, 200, { fine: true }),
  );
  t.after(() => server.close());
  let current = "old";
  const token = { invalidate: () => (current = "new") };

  const outcome = await requestJson(server.url("/s"), { method: "GET", authorize: async () => ({ Authorization: `Bearer ${current}` }), token });

  assert.equal(outcome.ok, true);
  assert.deepEqual(server.requests.map((r) => r.headers.authorization), ["Bearer old", "Bearer new"]);
});

test("A token that cannot be had is reported with its status, not thrown", async () => {
  const failing = async () => {
    throw Object.assign(new Error("The sign-in token could not be renewed (HTTP 401)."), { kind: "auth", status: 401 });
  };

  const outcome = await requestJson("http://127.0.0.1:9/never", { method: "GET", authorize: failing });

  assert.equal(outcome.ok, false);
  assert.equal(outcome.status, 401);
});
