// FeedView.razor.js: where the reader is in the feed, told to FeedView through IntersectionObserver
// (played here by a fake that the test drives).
import { test } from "node:test";
import assert from "node:assert/strict";
import { observeNearEnd, observeTop } from "../../App.Client/Feed/FeedView.razor.js";

function dotnet() {
  const calls = [];
  return { calls, invokeMethodAsync: (name, ...args) => (calls.push([name, ...args]), Promise.resolve()) };
}

/** Installs a fake IntersectionObserver for one test; `observers` are the ones created. */
function fakeObservers(t) {
  const observers = [];
  globalThis.IntersectionObserver = class {
    constructor(callback, options) {
      Object.assign(this, { callback, options, targets: [], disconnected: false });
      observers.push(this);
    }
    observe(element) { this.targets.push(element); }
    disconnect() { this.disconnected = true; }
    report(...visible) { this.callback(visible.map((isIntersecting) => ({ isIntersecting }))); }
  };
  t.after(() => delete globalThis.IntersectionObserver);
  return observers;
}

test("observeNearEnd asks for more each time the sentinel comes within 300 px, and dispose disconnects", (t) => {
  const observers = fakeObservers(t);
  const callbacks = dotnet();
  const sentinel = {};

  const behaviour = observeNearEnd(sentinel, callbacks);
  const [observer] = observers;
  observer.report(true);
  observer.report(false);
  observer.report(true);
  behaviour.dispose();

  assert.deepEqual(observer.targets, [sentinel]);
  assert.equal(observer.options.rootMargin, "300px");
  assert.deepEqual(callbacks.calls, [["OnNearEnd"], ["OnNearEnd"]]);
  assert.equal(observer.disconnected, true);
});

test("observeTop tells whether the top of the feed is in view, by the latest entry, below the app bar", (t) => {
  const observers = fakeObservers(t);
  const callbacks = dotnet();

  observeTop({}, callbacks);
  const [observer] = observers;
  observer.report(true);
  observer.report(true, false); // scrolled away within one frame: the latest state wins

  assert.match(observer.options.rootMargin, /^-64px /);
  assert.deepEqual(callbacks.calls, [["OnTopChanged", true], ["OnTopChanged", false]]);
});

test("Without IntersectionObserver (or element) nothing is observed and dispose is safe", () => {
  const behaviour = observeNearEnd(undefined, dotnet());
  assert.doesNotThrow(() => behaviour.dispose());
  assert.doesNotThrow(() => observeTop({}, dotnet()).dispose());
});
