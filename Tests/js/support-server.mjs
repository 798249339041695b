// A real HTTP server on 127.0.0.1 for the sse-client tests: the module must be exercised through
// fetch and sockets exactly as in a browser, including connections that drop or go silent.
import http from "node:http";

/**
 * Starts a server whose requests are all answered by `handler(req, res, info)`. Every request is
 * recorded with its headers and a `closed` promise that settles when the client goes away.
 */
export async function startServer(handler) {
  const requests = [];
  const waiters = [];
  const server = http.createServer((req, res) => {
    const url = new URL(req.url, "http://127.0.0.1");
    let body = "";
    req.setEncoding("utf8");
    req.on("data", (chunk) => (body += chunk));
    req.on("end", () => {
      const info = {
        method: req.method,
        path: url.pathname,
        query: url.searchParams,
        headers: req.headers,
        body,
        closed: new Promise((resolve) => res.on("close", resolve)),
        index: requests.length,
      };
      requests.push(info);
      for (const waiter of waiters.splice(0)) waiter();
      Promise.resolve(handler(req, res, info)).catch((error) => {
        res.destroy(error);
      });
    });
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  const base = `http://127.0.0.1:${server.address().port}`;
  return {
    requests,
    url: (path) => base + path,
    /** Resolves once at least `count` requests have arrived. */
    async waitForRequests(count) {
      while (requests.length < count) await new Promise((resolve) => waiters.push(resolve));
    },
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/** Answers 200 text/event-stream and returns a small writer for the SSE format. */
export function openSse(res, { retry = 10, headers = {} } = {}) {
  res.writeHead(200, {
    "Content-Type": "text/event-stream",
    "Cache-Control": "no-cache, no-transform",
    ...headers,
  });
  if (retry != null) res.write(`retry: ${retry}\n\n`);
  return {
    send(type, data, id) {
      let text = id == null ? "" : `id: ${id}\n`;
      text += `event: ${type}\ndata: ${JSON.stringify(data)}\n\n`;
      res.write(text);
    },
    comment(text = "heartbeat") {
      res.write(`: ${text}\n\n`);
    },
    end: () => res.end(),
    /**
     * Cuts the connection without ending the chunked body, as a network failure does. Ending
     * the socket (rather than destroying it) first flushes what was already written.
     */
    drop: () => res.socket?.end(),
  };
}

export function sendJson(res, status, body, headers = {}) {
  res.writeHead(status, { "Content-Type": "application/json", ...headers });
  res.end(body === undefined ? undefined : JSON.stringify(body));
}

export function sendProblem(res, status, type, headers = {}) {
  res.writeHead(status, { "Content-Type": "application/problem+json", ...headers });
  res.end(JSON.stringify({ type, title: "Delivery disabled", status }));
}

export const DELIVERY_DISABLED = "https://blazorjobs.example/problems/delivery-disabled";

export const RESULT = Object.freeze({
  answer: "Hello, world",
  sessionId: "6a1c8f0e-2b3d-4e5f-8a9b-0c1d2e3f4a5b",
  nextSuggestions: ["What next?"],
  sources: [{ title: "Lesson 1", url: "/courses/intro/lessons/1" }],
  completedAt: "2025-01-02T03:04:05.123456Z",
});

/** The stored events of one job, ids 1..7, as the server would replay them. */
export const JOB_EVENTS = Object.freeze([
  { id: 1, type: "status", data: { status: "PENDING", attempt: 1 } },
  { id: 2, type: "status", data: { status: "PROCESSING", attempt: 1 } },
  { id: 3, type: "progress", data: { stage: "retrieving", message: "Reading the course" } },
  { id: 4, type: "delta", data: { text: "Hello" } },
  { id: 5, type: "delta", data: { text: ", " } },
  { id: 6, type: "delta", data: { text: "world" } },
  { id: 7, type: "completed", data: RESULT },
]);

/** Sends the stored events after `Last-Event-ID`, up to and including id `until`. */
export function replay(writer, req, until = Infinity) {
  const after = Number(req.headers["last-event-id"] ?? 0);
  for (const event of JOB_EVENTS) {
    if (event.id > after && event.id <= until) writer.send(event.type, event.data, event.id);
  }
}

/** A deferred: a promise with its resolve exposed, for awaiting a signal instead of sleeping. */
export function signal() {
  let resolve;
  const promise = new Promise((r) => (resolve = r));
  return { promise, resolve };
}

/** A sleep that records its delays and returns at once, so back-off is asserted, not waited. */
export function recordingSleep() {
  const delays = [];
  const sleep = async (ms) => {
    delays.push(ms);
  };
  return { delays, sleep };
}
