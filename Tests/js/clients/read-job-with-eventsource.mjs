// Reads one job stream the way a plain WHATWG client does, with the npm `eventsource` package, and
// prints each event as a JSON line. Run by the .NET test SupersededTerminalTests (not a node test):
//   node read-job-with-eventsource.mjs <streamUrl> ["<Header-Name>: <value>"]   (the caller's credentials)
// Like an application on top of EventSource, it closes the source at the first terminal event; the
// server must therefore never send a terminal event that a later attempt superseded.
import { EventSource } from "eventsource";

const [url, credentials] = process.argv.slice(2);
const separator = credentials?.indexOf(":") ?? -1;
const extraHeaders = separator > 0 ? { [credentials.slice(0, separator).trim()]: credentials.slice(separator + 1).trim() } : {};
const TERMINAL = new Set(["completed", "failed", "cancelled"]);
const TYPES = ["status", "progress", "delta", "completed", "failed", "cancelled", "timeout", "delivery_disabled", "reauthenticate"];

const source = new EventSource(url, {
  fetch: (input, init) =>
    fetch(input, { ...init, headers: { ...init.headers, ...extraHeaders } }),
});
const giveUp = setTimeout(() => {
  console.error("no terminal event within 60 s");
  source.close();
  process.exitCode = 2;
}, 60_000);

for (const type of TYPES) {
  source.addEventListener(type, (event) => {
    console.log(JSON.stringify({ type, data: event.data, id: event.lastEventId }));
    if (TERMINAL.has(type)) {
      source.close();
      clearTimeout(giveUp);
    }
  });
}
