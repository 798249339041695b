// shared-stream.js: one events stream per caller for all of a browser's tabs. Browsers allow six
// HTTP/1.1 connections per origin, so a stream per tab stalls a learner with a few tabs open; here
// the tabs elect one leader with the Web Locks API, the leader alone holds the stream, and it hands
// every event to the other tabs over a BroadcastChannel.
//
// Why a lock: the browser releases it when its tab closes, navigates away, crashes or is discarded,
// and grants it at once to the next tab waiting for it, which resumes the stream from the last
// event id it received, so nothing is lost; followers drop ids they have already seen, so nothing
// is shown twice. A hidden tab changes nothing. Without Web Locks or BroadcastChannel each tab
// holds its own stream, as before.
import { asksToReconnect, followUntilClosed } from "./reconnecting-stream.js";
import { safeCall } from "./delivery-errors.js";

/**
 * The caller's events stream's lock and channel name (`/api/events`). One per origin is one per
 * caller: the stream authenticates with the cookies that all of a browser's tabs share.
 */
export const EVENTS_STREAM_NAME = "blazorjobs-events";

/** Events of `/api/events` that carry an id of their own (the others repeat the last one). */
const DURABLE_TYPES = new Set(["request_update"]);
const REMEMBERED_IDS = 512;

/**
 * The browser's own facilities, or fakes in tests.
 * @typedef {object} SharedStreamEnvironment
 * @property {{request: Function} | undefined} locks `navigator.locks`
 * @property {((name: string) => {postMessage(m: unknown): void, close(): void, onmessage: Function | null}) | undefined} createChannel
 * @property {{addEventListener: Function, removeEventListener: Function} | undefined} page `window`, for pagehide/pageshow
 * @property {(url: string, options: object) => {close(): void}} openStream connects, with `lastEventId`, `onEvent`, `onError`
 */

/** @returns {SharedStreamEnvironment} */
export function browserEnvironment() {
  const g = globalThis;
  return {
    locks: g.navigator?.locks,
    createChannel: typeof g.BroadcastChannel === "function" ? (name) => new g.BroadcastChannel(name) : undefined,
    page: typeof g.addEventListener === "function" ? g : undefined,
    openStream: (url, { lastEventId, onEvent, onError }) =>
      followUntilClosed(url, { onError }, {
        lastEventId,
        endedMessage: "The events stream has ended.",
        handleEvent: (event) => {
          onEvent(event);
          // The server asks for a fresh connection (credentials renewed, a timeout): resume at once.
          // (delivery_disabled is each follower's to read: a session and the feed end on it differently).
          return asksToReconnect(event) ? { type: "reconnect" } : undefined;
        },
      }),
  };
}

/** Ids seen lately: a takeover's replay may repeat what followers already have. */
class RecentIds {
  #ids = new Set();
  add(id) {
    if (this.#ids.has(id)) return false;
    this.#ids.add(id);
    if (this.#ids.size > REMEMBERED_IDS) this.#ids.delete(this.#ids.values().next().value);
    return true;
  }
}

/** One tab's share of one stream: elects, leads or follows, and hands events to this tab's listeners. */
class SharedStream {
  #url;
  #name;
  #env;
  #listeners = new Set();
  #seen = new RecentIds();
  #channel;
  #stream;
  #stopLeading;
  #lockRequest;
  #closed = false;
  lastEventId = "";
  role = "waiting";

  constructor(url, name, env) {
    this.#url = url;
    this.#name = name;
    this.#env = env;
    this.shared = Boolean(env.locks && env.createChannel);
    if (!this.shared) {
      this.#lead();
      return;
    }
    this.#channel = env.createChannel(name);
    this.#channel.onmessage = (message) => this.#fromLeader(message.data);
    env.page?.addEventListener("pagehide", this.#onPageHide);
    env.page?.addEventListener("pageshow", this.#onPageShow);
    this.#requestLeadership();
  }

  get listenerCount() {
    return this.#listeners.size;
  }

  listen(listener) {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  close() {
    this.#closed = true;
    this.#resign();
    this.role = "closed";
    this.#lockRequest?.abort();
    this.#channel?.close();
    this.#env.page?.removeEventListener("pagehide", this.#onPageHide);
    this.#env.page?.removeEventListener("pageshow", this.#onPageShow);
  }

  #requestLeadership() {
    const abort = new AbortController();
    this.#lockRequest = abort;
    this.#env.locks
      .request(this.#name, { signal: abort.signal }, () => {
        if (this.#closed || abort.signal.aborted) return undefined;
        // Held until this tab resigns; the browser frees it when the tab goes away.
        return new Promise((resign) => this.#lead(resign));
      })
      .catch(() => {}); // an aborted request: this tab left before its turn
  }

  #lead(resign = () => {}) {
    this.role = "leader";
    this.#stopLeading = resign;
    this.#stream = this.#env.openStream(this.#url, {
      lastEventId: this.lastEventId,
      onEvent: (event) => {
        const message = { event: { type: event.type, data: event.data, id: event.id } };
        if (this.#deliver(message)) this.#channel?.postMessage(message);
      },
      onError: (error, meta) => {
        const message = { error: { kind: error?.kind, status: error?.status, message: error?.message }, willRetry: meta.willRetry };
        this.#deliver(message);
        this.#channel?.postMessage(message);
      },
    });
  }

  #resign() {
    this.#stream?.close();
    this.#stream = undefined;
    this.#stopLeading?.();
    this.#stopLeading = undefined;
    if (!this.#closed) this.role = "waiting";
  }

  #fromLeader(message) {
    if (this.role !== "leader") this.#deliver(message);
  }

  /** @returns {boolean} false for an event this tab has already had */
  #deliver(message) {
    const { event } = message;
    if (event && DURABLE_TYPES.has(event.type) && event.id) {
      if (!this.#seen.add(event.id)) return false;
      this.lastEventId = event.id;
    }
    for (const listener of [...this.#listeners]) safeCall(listener, message);
    return true;
  }

  // A page kept in the back/forward cache would hold the lock and a dead stream: leave, and come
  // back in line when it is shown again.
  #onPageHide = (event) => {
    if (!event?.persisted) return;
    this.#resign();
    this.#lockRequest?.abort();
  };

  #onPageShow = (event) => {
    if (event?.persisted && !this.#closed && this.role !== "leader") this.#requestLeadership();
  };
}

/**
 * A tab's shared streams, one per name, however many of its components listen.
 * @param {SharedStreamEnvironment} env
 */
export function createSharedStreams(env) {
  const streams = new Map();
  return {
    /**
     * Listens to the stream at `url`, shared by every tab of this caller under `name`.
     * @param {string} url
     * @param {string} name one per caller: the lock's and the channel's name
     * @param {(message: {event?: {type: string, data: string, id: string}, error?: object, willRetry?: boolean}) => void} listener
     * @returns {{close(): void, readonly stream: SharedStream}}
     */
    subscribe(url, name, listener) {
      let stream = streams.get(name);
      if (!stream) {
        stream = new SharedStream(url, name, env);
        streams.set(name, stream);
      }
      const stopListening = stream.listen(listener);
      let open = true;
      return {
        stream,
        close() {
          if (!open) return;
          open = false;
          stopListening();
          if (stream.listenerCount === 0) {
            streams.delete(name);
            stream.close();
          }
        },
      };
    },
  };
}

let browserStreams;

/** This tab's shared streams in the browser (created on first use). */
export function subscribeShared(url, name, listener) {
  browserStreams ??= createSharedStreams(browserEnvironment());
  return browserStreams.subscribe(url, name, listener);
}
