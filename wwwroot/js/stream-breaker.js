// stream-breaker.js: the hybrid mode's memory of a browser that cannot hold a stream.

const BREAKER_KEY = "bj.delivery.streamFailures";
const BREAKER_WINDOW_MS = 5 * 60_000;
const BREAKER_THRESHOLD = 3;
const BREAKER_OPEN_MS = 10 * 60_000;

/**
 * Remembers, across tabs and reloads, that this browser cannot hold a stream, so that hybrid
 * clients stop paying for a stream that will fail anyway. Storage may be missing or may throw
 * (private modes, sandboxed frames): the breaker then simply stays closed.
 */
export function streamBreaker(now) {
  const storage = (() => {
    try {
      return typeof localStorage !== "undefined" ? localStorage : undefined;
    } catch {
      return undefined;
    }
  })();
  const read = () => {
    try {
      const saved = JSON.parse(storage?.getItem(BREAKER_KEY) ?? "null");
      const failures = Array.isArray(saved?.failures) ? saved.failures.filter(Number.isFinite) : [];
      return { failures, openUntil: Number(saved?.openUntil) || 0 };
    } catch {
      return { failures: [], openUntil: 0 };
    }
  };
  const write = (value) => {
    try {
      storage?.setItem(BREAKER_KEY, JSON.stringify(value));
    } catch {
      // A full or forbidden storage only means the breaker forgets.
    }
  };
  return {
    isOpen: () => read().openUntil > now(),
    recordFailure() {
      const at = now();
      const saved = read();
      const failures = [...saved.failures.filter((t) => at - t < BREAKER_WINDOW_MS), at];
      if (failures.length >= BREAKER_THRESHOLD) write({ failures: [], openUntil: at + BREAKER_OPEN_MS });
      else write({ failures, openUntil: saved.openUntil });
    },
  };
}
