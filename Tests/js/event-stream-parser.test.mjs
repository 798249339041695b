import { test } from "node:test";
import assert from "node:assert/strict";
import { parseEventStream } from "../../wwwroot/js/event-stream-parser.js";

const encoder = new TextEncoder();

function bodyOf(chunks) {
  return new ReadableStream({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(chunk);
      controller.close();
    },
  });
}

async function parse(input, chunkings = null) {
  const bytes = typeof input === "string" ? encoder.encode(input) : input;
  const events = [];
  for await (const event of parseEventStream(bodyOf(chunkings ?? [bytes]))) events.push(event);
  return events;
}

function splitAt(bytes, ...positions) {
  const chunks = [];
  let start = 0;
  for (const position of positions) {
    chunks.push(bytes.slice(start, position));
    start = position;
  }
  chunks.push(bytes.slice(start));
  return chunks;
}

const event = (data, { type = "message", id = "", retry = undefined } = {}) => ({ type, data, id, retry });

test("Lines end in CRLF, LF or CR", async () => {
  const events = await parse("data: a\r\n\r\ndata: b\n\ndata: c\r\rdata: d\rdata: e\r\n\n");
  assert.deepEqual(events, [event("a"), event("b"), event("c"), event("d\ne")]);
});

test("A CR ending one chunk and an LF starting the next are one line ending", async () => {
  const bytes = encoder.encode("data: a\r\ndata: b\r\n\r\n");
  const events = await parse(bytes, splitAt(bytes, 8));
  assert.deepEqual(events, [event("a\nb")]);
});

test("A CR ending the last chunk still ends the event at once", async () => {
  const bytes = encoder.encode("data: a\r\r");
  assert.deepEqual(await parse(bytes, splitAt(bytes, 8, 9)), [event("a")]);
});

test("One leading BOM is dropped, a second one is not", async () => {
  assert.deepEqual(await parse("\uFEFFdata: a\n\n"), [event("a")]);
  assert.deepEqual(await parse("\uFEFF\uFEFFdata: a\n\n"), [], "the second BOM makes an unknown field");
  assert.deepEqual(await parse("data: \uFEFFa\n\n"), [event("\uFEFFa")]);
});

test("One optional space after the colon is removed", async () => {
  const events = await parse("data:a\n\ndata: b\n\ndata:  c\n\ndata: \n\n");
  assert.deepEqual(events, [event("a"), event("b"), event(" c"), event("")]);
});

test("A line with no colon is a field with an empty value", async () => {
  assert.deepEqual(await parse("data\n\n"), [event("")]);
  assert.deepEqual(await parse("data\ndata\ndata: x\n\n"), [event("\n\nx")]);
  assert.deepEqual(await parse("event\ndata: x\n\n"), [event("x")], "an empty event type means message");
});

test("Lines starting with a colon are comments", async () => {
  const events = await parse(": hello\ndata: a\n: in the middle\ndata: b\n\n:\n\n: heartbeat\n\n");
  assert.deepEqual(events, [event("a\nb")]);
});

test("Unknown fields are ignored and field names are case-sensitive", async () => {
  const events = await parse("Data: x\nDATA: y\nfoo: bar\nEvent: nope\nID: 9\ndata: z\n\n");
  assert.deepEqual(events, [event("z")]);
});

test("Several data lines join with LF, keeping an empty last line", async () => {
  assert.deepEqual(await parse("data: a\ndata: b\ndata: c\n\n"), [event("a\nb\nc")]);
  assert.deepEqual(await parse("data: a\ndata:\n\n"), [event("a\n")]);
});

test("An event whose data buffer is empty is not dispatched and its type is reset", async () => {
  const events = await parse("event: ghost\n\ndata: x\n\nevent: named\nid: 3\n\ndata: y\n\n");
  assert.deepEqual(events, [event("x"), event("y", { id: "3" })]);
});

test("The type defaults to message and resets after each dispatch", async () => {
  const events = await parse("event: status\ndata: 1\n\ndata: 2\n\nevent: delta\ndata: 3\n\n");
  assert.deepEqual(events, [event("1", { type: "status" }), event("2"), event("3", { type: "delta" })]);
});

test("An id containing U+0000 is ignored", async () => {
  const events = await parse("id: 1\ndata: a\n\nid: 2\u00003\ndata: b\n\n");
  assert.deepEqual(events, [event("a", { id: "1" }), event("b", { id: "1" })]);
});

test("The last event id persists until changed, and an empty id resets it", async () => {
  const events = await parse(
    "id: 1\ndata: a\n\ndata: b\n\nid\ndata: c\n\nid: 7\ndata: d\n\nid:\ndata: e\n\nid: 8\n\ndata: f\n\n",
  );
  assert.deepEqual(events, [
    event("a", { id: "1" }),
    event("b", { id: "1" }),
    event("c", { id: "" }),
    event("d", { id: "7" }),
    event("e", { id: "" }),
    event("f", { id: "8" }),
  ]);
});

test("retry is used only when all ASCII digits, and reported on the next event", async () => {
  const events = await parse(
    "retry: 1500\ndata: a\n\ndata: b\n\n" +
      "retry: 15a\ndata: c\n\nretry: -1\nretry: 1.5\nretry:\nretry:  100\nretry: \uFF11\ndata: d\n\n" +
      "retry: 10\n\ndata: e\n\nretry: 20\nretry: 30\ndata: f\n\n",
  );
  assert.deepEqual(events, [
    event("a", { retry: 1500 }),
    event("b"),
    event("c"),
    event("d"),
    event("e", { retry: 10 }),
    event("f", { retry: 30 }),
  ]);
});

test("An incomplete event at the end of the stream is discarded", async () => {
  assert.deepEqual(await parse("data: a\n\ndata: b\n"), [event("a")]);
  assert.deepEqual(await parse("data: a\n\ndata: b"), [event("a")]);
  assert.deepEqual(await parse("data: a\n\nid: 5\nevent: x\ndata: b\r"), [event("a")]);
});

test("Multi-byte characters decode whatever the chunk boundaries", async () => {
  const bytes = encoder.encode("data: é😀日本\n\n");
  const oneByteChunks = [...bytes].map((b) => Uint8Array.of(b));
  assert.deepEqual(await parse(bytes, oneByteChunks), [event("é😀日本")]);
});

// Every rule above at once, so that one document can be cut at every byte position.
const DOCUMENT =
  "\uFEFF: stream opened\r\n" +
  "retry: 2500\r\n" +
  "id: 1\r\nevent: status\r\ndata: {\"status\":\"PENDING\"}\r\n\r\n" +
  "data: héllo 😀\rdata: 日本語\r\r" +
  "Data: ignored\nfoo\nid: 2\u0000x\ndata\n\n" +
  "event: ghost\n\n" +
  "id\ndata: after reset\n\n" +
  "retry: abc\nid: 3\nevent: delta\ndata:  two spaces\n\n" +
  ": heartbeat\n\n" +
  "data: unfinished\n";

const DOCUMENT_EVENTS = [
  event("{\"status\":\"PENDING\"}", { type: "status", id: "1", retry: 2500 }),
  event("héllo 😀\n日本語", { id: "1" }),
  event("", { id: "1" }),
  event("after reset", { id: "" }),
  event(" two spaces", { type: "delta", id: "3" }),
];

test("The reference document parses to the expected events", async () => {
  assert.deepEqual(await parse(DOCUMENT), DOCUMENT_EVENTS);
});

test("Cutting the document at any byte position yields the same events", async () => {
  const bytes = encoder.encode(DOCUMENT);
  for (let position = 0; position <= bytes.length; position++) {
    assert.deepEqual(await parse(bytes, splitAt(bytes, position)), DOCUMENT_EVENTS, `cut at byte ${position}`);
  }
});

test("Cutting the document at any two byte positions yields the same events", async () => {
  const bytes = encoder.encode(DOCUMENT);
  for (let first = 1; first < bytes.length; first++) {
    for (let second = first + 1; second < bytes.length; second += 7) {
      const events = await parse(bytes, splitAt(bytes, first, second));
      assert.deepEqual(events, DOCUMENT_EVENTS, `cut at bytes ${first} and ${second}`);
    }
  }
});

test("Feeding the document one byte at a time yields the same events", async () => {
  const bytes = encoder.encode(DOCUMENT);
  assert.deepEqual(await parse(bytes, [...bytes].map((b) => Uint8Array.of(b))), DOCUMENT_EVENTS);
});

test("Leaving the loop early cancels the body", async () => {
  let cancelled = false;
  const body = new ReadableStream({
    start(controller) {
      controller.enqueue(encoder.encode("data: a\n\n"));
    },
    cancel() {
      cancelled = true;
    },
  });
  for await (const received of parseEventStream(body)) {
    assert.equal(received.data, "a");
    break;
  }
  assert.equal(cancelled, true);
});
