// The outbox between the browser and .NET: ordered, at most one call at a time, updates of one
// job folded together, and calls refused by a reconnecting circuit sent again.
import { test } from "node:test";
import assert from "node:assert/strict";
import { Outbox } from "../../wwwroot/js/outbox.js";
import { signal } from "./support-server.mjs";

function target({ refuse = 0 } = {}) {
  const calls = [];
  let refusals = refuse;
  let inFlight = 0;
  let mostInFlight = 0;
  const waiters = [];
  return {
    calls,
    get mostInFlight() {
      return mostInFlight;
    },
    async invokeMethodAsync(name, ...args) {
      inFlight += 1;
      mostInFlight = Math.max(mostInFlight, inFlight);
      await new Promise((resolve) => setTimeout(resolve, 2));
      inFlight -= 1;
      if (refusals > 0) {
        refusals -= 1;
        throw new Error("The circuit is reconnecting.");
      }
      calls.push([name, ...args]);
      waiters.splice(0).forEach((w) => w());
    },
    async until(count) {
      while (calls.length < count) await new Promise((resolve) => waiters.push(resolve));
    },
  };
}

test("Updates of one job queued together reach .NET as one call, text appended", async () => {
  const dotnet = target();
  const outbox = new Outbox(dotnet, 5);

  outbox.update("j", { status: "PROCESSING", attempt: 1, reset: true, text: "" });
  outbox.update("j", { text: "Hel" });
  outbox.update("j", { text: "lo" });
  await dotnet.until(1);

  assert.deepEqual(dotnet.calls, [
    ["OnJobUpdate", { jobId: "j", reset: true, text: "Hello", status: "PROCESSING", attempt: 1 }],
  ]);
  outbox.close();
});

test("A reset folded in later replaces the text before it", async () => {
  const dotnet = target();
  const outbox = new Outbox(dotnet, 5);

  outbox.update("j", { text: "old attempt" });
  outbox.update("j", { status: "PENDING", attempt: 2, reset: true, text: "" });
  outbox.update("j", { text: "new" });
  await dotnet.until(1);

  assert.equal(dotnet.calls[0][1].text, "new");
  assert.equal(dotnet.calls[0][1].reset, true);
  outbox.close();
});

test("Calls keep their order and never overlap", async () => {
  const dotnet = target();
  const outbox = new Outbox(dotnet, 1);

  outbox.call("OnJobAccepted", "k", { jobId: "a" });
  outbox.update("a", { text: "x" });
  outbox.update("b", { text: "y" });
  outbox.call("OnJobCompleted", "a", {}, "sse");
  await dotnet.until(4);

  assert.deepEqual(
    dotnet.calls.map(([name, arg]) => (name === "OnJobUpdate" ? `update:${arg.jobId}` : name)),
    ["OnJobAccepted", "update:a", "update:b", "OnJobCompleted"],
  );
  assert.equal(dotnet.mostInFlight, 1);
  outbox.close();
});

test("A call refused while the circuit reconnects is sent again, with what queued behind it folded in", async () => {
  const dotnet = target({ refuse: 1 });
  const outbox = new Outbox(dotnet, 1);

  outbox.update("j", { text: "Hello" });
  await new Promise((resolve) => setTimeout(resolve, 5)); // the first try is refused meanwhile
  outbox.update("j", { text: ", world" });
  await dotnet.until(1);

  assert.deepEqual(dotnet.calls.map(([, u]) => u.text), ["Hello, world"]);
  outbox.close();
});

test("After close nothing more is sent", async () => {
  const dotnet = target();
  const outbox = new Outbox(dotnet, 5);
  outbox.update("j", { text: "never" });
  outbox.close();
  const later = signal();
  setTimeout(later.resolve, 30);
  await later.promise;
  assert.equal(dotnet.calls.length, 0);
});
