// event-stream-parser.js: the WHATWG "server-sent events" interpretation, for a fetch() body.
//
// EventSource cannot send an Authorization header, so the module reads the body of a plain
// fetch() and interprets the event-stream format itself.

/**
 * Turns decoded text into events. Text arrives in arbitrary pieces, so a line may span pieces
 * and a CR ending one piece may pair with an LF starting the next.
 */
export class EventStreamParser {
  #line = "";
  #afterCR = false;
  #data = "";
  #type = "";
  #idBuffer;
  #retryToReport;

  /** @param {string} lastEventId the id a resumed connection starts from */
  constructor(lastEventId = "") {
    this.#idBuffer = lastEventId;
    // Updated only at a blank line, as the spec's "last event ID string" is: an id whose event
    // never completed must not be resumed from, or that event would be skipped.
    this.lastEventId = lastEventId;
    this.reconnectionTime = undefined;
  }

  push(text) {
    const events = [];
    let start = 0;
    if (this.#afterCR && text.length > 0) {
      if (text.charCodeAt(0) === 10) start = 1;
      this.#afterCR = false;
    }
    for (let i = start; i < text.length; i++) {
      const code = text.charCodeAt(i);
      if (code !== 10 && code !== 13) continue;
      const line = this.#line + text.slice(start, i);
      this.#line = "";
      if (code === 13) {
        if (i + 1 === text.length) this.#afterCR = true;
        else if (text.charCodeAt(i + 1) === 10) i++;
      }
      start = i + 1;
      const event = this.#processLine(line);
      if (event) events.push(event);
    }
    this.#line += text.slice(start);
    return events;
  }

  #processLine(line) {
    if (line === "") return this.#dispatch();
    if (line.charCodeAt(0) === 58) return undefined; // ":" starts a comment
    const colon = line.indexOf(":");
    let field = line;
    let value = "";
    if (colon !== -1) {
      field = line.slice(0, colon);
      value = line.slice(colon + 1);
      if (value.charCodeAt(0) === 32) value = value.slice(1);
    }
    switch (field) {
      case "event":
        this.#type = value;
        break;
      case "data":
        this.#data += value + "\n";
        break;
      case "id":
        if (!value.includes("\u0000")) this.#idBuffer = value;
        break;
      case "retry":
        // At least one digit: an empty value is not a number of milliseconds.
        if (/^[0-9]+$/.test(value)) {
          this.reconnectionTime = Number(value);
          this.#retryToReport = this.reconnectionTime;
        }
        break;
      default:
        break;
    }
    return undefined;
  }

  #dispatch() {
    this.lastEventId = this.#idBuffer;
    if (this.#data === "") {
      this.#type = "";
      return undefined;
    }
    const event = {
      type: this.#type || "message",
      data: this.#data.slice(0, -1),
      id: this.lastEventId,
      retry: this.#retryToReport,
    };
    this.#data = "";
    this.#type = "";
    this.#retryToReport = undefined;
    return event;
  }
}

/**
 * Reads a `text/event-stream` body and yields one object per dispatched event, following the
 * WHATWG interpretation rules (line endings, BOM, comments, fields, id persistence, retry).
 * Leaving the loop early cancels the body.
 *
 * @param {ReadableStream<Uint8Array>} body usually `response.body`
 * @returns {AsyncGenerator<{type: string, data: string, id: string, retry: number | undefined}>}
 *   `retry` is set on the first event after a valid `retry` field, otherwise `undefined`.
 */
export async function* parseEventStream(body) {
  const reader = body.getReader();
  // The default decoder drops one leading BOM, as the spec requires, and keeps a multi-byte
  // character split across chunks until its last byte arrives.
  const decoder = new TextDecoder();
  const parser = new EventStreamParser();
  let finished = false;
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) {
        finished = true;
        // Whatever is left cannot complete a line, so the unfinished event is discarded.
        yield* parser.push(decoder.decode());
        return;
      }
      yield* parser.push(decoder.decode(value, { stream: true }));
    }
  } finally {
    if (!finished) await reader.cancel().catch(() => {});
    reader.releaseLock();
  }
}
