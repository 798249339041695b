// shared-stream.js: tabs elect one leader with Web Locks, the leader alone holds the stream and fans
// its events out over BroadcastChannel. Fakes stand in for both, with the browser's semantics: a lock
// goes to the next waiting request when its holder's promise settles, a channel message reaches every
// other channel of the same name, never the sender.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createSharedStreams } from "../../wwwroot/js/shared-stream.js";

const URL = "/api/events";
const NAME = "blazorjobs-events";
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

class FakeLocks {
  #queues = new Map();
  request(name, options, callback) {
    return new Promise((resolve, reject) => {
      const queue = this.#queues.get(name) ?? [];
      this.#queues.set(name, queue);
      const entry = { callback, resolve, reject };
      options.signal?.addEventListener("abort", () => {
        const at = queue.indexOf(entry);
        if (at > 0) {
          queue.splice(at, 1);
          reject(new Error("AbortError"));
        }
      });
      queue.push(entry);
      if (queue.length === 1) this.#grant(name);
    });
  }
  #grant(name) {
    const queue = this.#queues.get(name);
    const holder = queue?.[0];
    if (!holder) return;
    Promise.resolve(holder.callback()).then(holder.resolve, holder.reject).finally(() => {
      queue.shift();
      this.#grant(name);
    });
  }
}

class FakeBus {
  channels = new Set();
  create = (name) => {
    const bus = this;
    const channel = {
      name,
      onmessage: null,
      postMessage(data) {
        for (const other of bus.channels) {
          if (other !== channel && other.name === name) queueMicrotask(() => other.onmessage?.({ data: structuredClone(data) }));
        }
      },
      close() {
        bus.channels.delete(channel);
      },
    };
    bus.channels.add(channel);
    return channel;
  };
}

/** The server's side: every stream a tab opened, to push events into and to see which are open. */
class FakeServer {
  streams = [];
  open = (url, options) => {
    const stream = { url, ...options, closed: false, close: () => (stream.closed = true) };
    this.streams.push(stream);
    return stream;
  };
  get openStreams() {
    return this.streams.filter((s) => !s.closed);
  }
  send(type, data, id = "") {
    for (const s of this.openStreams) s.onEvent({ type, data: JSON.stringify(data), id });
  }
}

function browser({ locks = new FakeLocks(), bus = new FakeBus() } = {}) {
  const server = new FakeServer();
  const tab = () => {
    const received = [];
    const page = new EventTarget();
    const streams = createSharedStreams({ locks, createChannel: bus.create, page, openStream: server.open });
    const subscription = streams.subscribe(URL, NAME, (message) => received.push(message.event ?? message.error));
    return { received, subscription, page, updates: () => received.filter((e) => e.type === "request_update").map((e) => e.id) };
  };
  return { server, tab };
}

test("Three tabs open one stream, and an event reaches every tab once", async () => {
  const { server, tab } = browser();
  const tabs = [tab(), tab(), tab()];
  await settle();

  server.send("connected", { caller: "learner" });
  server.send("request_update", { jobId: "a", status: "PENDING" }, "10");
  server.send("feed_items", { items: [{ id: "answer:1" }], live: true }, "10");
  await settle();

  assert.equal(server.openStreams.length, 1);
  assert.equal(tabs[0].subscription.stream.role, "leader");
  for (const t of tabs) {
    assert.deepEqual(t.received.map((e) => e.type), ["connected", "request_update", "feed_items"]);
  }
});

test("When the leader closes, the next tab takes over from the last id and nothing is shown twice", async () => {
  const { server, tab } = browser();
  const [leader, second, third] = [tab(), tab(), tab()];
  await settle();
  server.send("request_update", { jobId: "a", status: "PENDING" }, "10");
  server.send("request_update", { jobId: "a", status: "PROCESSING" }, "11");
  await settle();

  leader.subscription.close();
  await settle();
  const takeover = server.openStreams;
  assert.equal(takeover.length, 1);
  assert.equal(takeover[0].lastEventId, "11");
  assert.equal(second.subscription.stream.role, "leader");
  // The server's replay may repeat an id the tabs already have (ids are not in commit order across jobs).
  server.send("request_update", { jobId: "a", status: "PROCESSING" }, "11");
  server.send("request_update", { jobId: "a", status: "COMPLETED" }, "12");
  await settle();

  assert.deepEqual(second.updates(), ["10", "11", "12"]);
  assert.deepEqual(third.updates(), ["10", "11", "12"]);
  assert.equal(server.streams[0].closed, true);
});

test("A tab's components share its one subscription; the stream closes with the last of them", async () => {
  const { server, tab } = browser();
  const only = tab();
  await settle();
  const streams = only.subscription.stream;
  assert.equal(server.openStreams.length, 1);

  only.subscription.close();
  await settle();

  assert.equal(streams.role, "closed");
  assert.equal(server.openStreams.length, 0);
});

test("A leader put in the back/forward cache hands over, and waits its turn again when shown", async () => {
  const { server, tab } = browser();
  const [leader, follower] = [tab(), tab()];
  await settle();

  leader.page.dispatchEvent(Object.assign(new Event("pagehide"), { persisted: true }));
  await settle();
  assert.equal(follower.subscription.stream.role, "leader");
  assert.equal(server.openStreams.length, 1);

  leader.page.dispatchEvent(Object.assign(new Event("pageshow"), { persisted: true }));
  server.send("request_update", { jobId: "b", status: "PENDING" }, "20");
  await settle();
  assert.equal(server.openStreams.length, 1);
  assert.deepEqual(leader.updates(), ["20"]);
});

test("Errors reach every tab, so each can say the stream is down", async () => {
  const { server, tab } = browser();
  const tabs = [tab(), tab()];
  await settle();

  server.openStreams[0].onError(Object.assign(new Error("503"), { kind: "http", status: 503 }), { willRetry: true });
  await settle();

  for (const t of tabs) assert.deepEqual(t.received, [{ kind: "http", status: 503, message: "503" }]);
});

test("Without Web Locks or BroadcastChannel each tab keeps its own stream", async () => {
  const server = new FakeServer();
  const noLocks = createSharedStreams({ locks: undefined, createChannel: new FakeBus().create, openStream: server.open });
  const noChannel = createSharedStreams({ locks: new FakeLocks(), createChannel: undefined, openStream: server.open });
  const received = [];
  noLocks.subscribe(URL, NAME, (m) => received.push(["a", m.event.id]));
  noChannel.subscribe(URL, NAME, (m) => received.push(["b", m.event.id]));
  await settle();

  server.send("request_update", {}, "5");

  assert.equal(server.openStreams.length, 2);
  assert.deepEqual(received, [["a", "5"], ["b", "5"]]);
});
