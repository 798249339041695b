import { test } from "node:test";
import assert from "node:assert/strict";
import {
  deliveryError,
  throwIfAborted,
  safeCall,
  isRetryableStatus,
  isStreamProblem,
  settleWith,
} from "../../wwwroot/js/delivery-errors.js";

test("deliveryError is an Error tagged with its kind and extra fields", () => {
  const error = deliveryError("http", "HTTP 503", { status: 503 });
  assert.ok(error instanceof Error);
  assert.equal(error.kind, "http");
  assert.equal(error.status, 503);
  assert.equal(error.message, "HTTP 503");
});

test("throwIfAborted throws the aborted kind only for an aborted signal", () => {
  throwIfAborted(undefined);
  throwIfAborted(new AbortController().signal);
  assert.throws(() => throwIfAborted(AbortSignal.abort()), (error) => error.kind === "aborted");
});

test("safeCall keeps a throwing callback from escaping and ignores non-functions", () => {
  const reported = [];
  const original = globalThis.reportError;
  globalThis.reportError = (error) => reported.push(error.message);
  try {
    safeCall(() => {
      throw new Error("page bug");
    });
    safeCall(undefined);
    let got;
    safeCall((a, b) => (got = a + b), 2, 3);
    assert.equal(got, 5);
  } finally {
    globalThis.reportError = original;
  }
  assert.deepEqual(reported, ["page bug"]);
});

test("Only transport problems justify another transport; a job's own outcome does not", () => {
  assert.equal(isRetryableStatus(429), true);
  assert.equal(isRetryableStatus(502), true);
  assert.equal(isRetryableStatus(404), false);
  assert.equal(isStreamProblem(deliveryError("network", "x")), true);
  assert.equal(isStreamProblem(deliveryError("http", "x", { status: 503 })), true);
  assert.equal(isStreamProblem(deliveryError("http", "x", { status: 403 })), false);
  assert.equal(isStreamProblem(deliveryError("failed", "x")), false);
  assert.equal(isStreamProblem(deliveryError("cancelled", "x")), false);
  assert.equal(isStreamProblem(undefined), false);
});

test("settleWith carries the kind and the id to resume from", () => {
  const action = settleWith("timeout", "waited too long", "12");
  assert.equal(action.type, "settle");
  assert.equal(action.error.kind, "timeout");
  assert.equal(action.error.lastEventId, "12");
});
