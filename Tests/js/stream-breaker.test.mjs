// The hybrid mode's breaker: three stream failures within five minutes open it for ten minutes,
// remembered in localStorage across tabs and reloads, and forgotten quietly without storage.
import { test, beforeEach } from "node:test";
import assert from "node:assert/strict";
import { streamBreaker } from "../../wwwroot/js/stream-breaker.js";

const MINUTE = 60_000;

function memoryStorage() {
  const values = new Map();
  return {
    getItem: (key) => (values.has(key) ? values.get(key) : null),
    setItem: (key, value) => values.set(key, String(value)),
    removeItem: (key) => values.delete(key),
  };
}

beforeEach(() => {
  globalThis.localStorage = memoryStorage();
});

test("Three failures within five minutes open the breaker for ten minutes", () => {
  let now = 0;
  const breaker = streamBreaker(() => now);
  breaker.recordFailure();
  now = 2 * MINUTE;
  breaker.recordFailure();
  assert.equal(breaker.isOpen(), false);
  now = 4 * MINUTE;
  breaker.recordFailure();
  assert.equal(breaker.isOpen(), true);
  now = 14 * MINUTE - 1;
  assert.equal(breaker.isOpen(), true);
  now = 14 * MINUTE;
  assert.equal(breaker.isOpen(), false);
});

test("Failures older than five minutes do not count", () => {
  let now = 0;
  const breaker = streamBreaker(() => now);
  breaker.recordFailure();
  breaker.recordFailure();
  now = 6 * MINUTE;
  breaker.recordFailure();
  assert.equal(breaker.isOpen(), false);
});

test("Another tab's breaker sees the same state, through localStorage", () => {
  const now = () => 0;
  const one = streamBreaker(now);
  for (let i = 0; i < 3; i++) one.recordFailure();
  assert.equal(streamBreaker(now).isOpen(), true);
});

test("Storage that throws leaves the breaker closed instead of failing the delivery", () => {
  globalThis.localStorage = {
    getItem: () => {
      throw new Error("SecurityError");
    },
    setItem: () => {
      throw new Error("QuotaExceededError");
    },
  };
  const breaker = streamBreaker(() => 0);
  for (let i = 0; i < 3; i++) breaker.recordFailure();
  assert.equal(breaker.isOpen(), false);
});
