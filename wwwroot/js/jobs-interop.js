// Glue between the operations dashboard (Blazor, Interactive Server) and its admin stream
// GET /api/admin/jobs/stream: as the rollout console (rollout-interop.js), the snapshots reach the
// page over the HTTP contract, read by sse-client.js in the browser with the sign-in cookie
// (reconnecting with back-off), and are handed to the circuit through the DotNetObjectReference.
// No batching: the server sends one `snapshot` per Operations:SnapshotSeconds (2 s by default).
import { openEventStream } from "./sse-client.js";

/** Follows the dashboard's stream until close(); returns { close() }. */
export function openJobsStream(url, callbacks) {
  // A closed circuit rejects the call; the component is gone, and close() follows.
  const call = (method, ...args) => callbacks.invokeMethodAsync(method, ...args).catch(() => {});
  const stream = openEventStream(url, {
    onOpen: () => call("OnConnection", "live"),
    onEvent: (type, data) => {
      if (type === "snapshot") call("OnSnapshot", data);
    },
    onError: (error, meta) => call("OnConnection", meta?.willRetry ? "reconnecting" : "stopped"),
  });
  return { close: () => stream.close() };
}
