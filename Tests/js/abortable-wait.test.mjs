import { test } from "node:test";
import assert from "node:assert/strict";
import { linkAbort, realSleep, pause, parseRetryAfter } from "../../wwwroot/js/abortable-wait.js";

test("linkAbort makes the controller follow the signal until unlinked", () => {
  const source = new AbortController();
  const linked = new AbortController();
  linkAbort(source.signal, linked);
  source.abort();
  assert.equal(linked.signal.aborted, true);

  const later = new AbortController();
  const unlinkedController = new AbortController();
  const unlink = linkAbort(later.signal, unlinkedController);
  unlink();
  later.abort();
  assert.equal(unlinkedController.signal.aborted, false);
});

test("linkAbort with an already aborted signal aborts at once", () => {
  const controller = new AbortController();
  linkAbort(AbortSignal.abort(), controller);
  assert.equal(controller.signal.aborted, true);
});

test("realSleep resolves after its time and rejects as aborted when the signal fires", async () => {
  await realSleep(5);
  const controller = new AbortController();
  const waiting = realSleep(60_000, controller.signal);
  controller.abort();
  await assert.rejects(waiting, (error) => error.kind === "aborted");
  await assert.rejects(realSleep(1, AbortSignal.abort()), (error) => error.kind === "aborted");
});

test("pause lets the abort win over an injected sleep that ignores it", async () => {
  const controller = new AbortController();
  const ignoringSleep = async () => controller.abort();
  await assert.rejects(pause(ignoringSleep, 10, controller.signal), (error) => error.kind === "aborted");
});

test("parseRetryAfter reads delta-seconds and HTTP dates, and ignores nonsense", () => {
  assert.equal(parseRetryAfter("3"), 3000);
  assert.equal(parseRetryAfter(" 0 "), 0);
  assert.equal(parseRetryAfter(null), undefined);
  assert.equal(parseRetryAfter("soon"), undefined);
  assert.equal(parseRetryAfter(new Date(Date.now() - 60_000).toUTCString()), 0);
  const ahead = parseRetryAfter(new Date(Date.now() + 120_000).toUTCString());
  assert.ok(ahead > 100_000 && ahead <= 120_000, String(ahead));
});
