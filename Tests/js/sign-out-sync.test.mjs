// Signing out in one tab signs the tutor's other tabs out: the tab that submits the sign-out form
// tells the others (BroadcastChannel), which wait until the server has signed the learner out.
import { test } from "node:test";
import assert from "node:assert/strict";
import { announceSignOut, followSignOut } from "../../wwwroot/js/sign-out-sync.js";

/** Tabs of one browser: a BroadcastChannel delivers a message to every other instance of its name. */
function browser() {
  const channels = new Set();
  class FakeChannel {
    constructor(name) {
      this.name = name;
      this.listeners = new Set();
      this.closed = false;
      channels.add(this);
    }
    addEventListener(_, listener) { this.listeners.add(listener); }
    removeEventListener(_, listener) { this.listeners.delete(listener); }
    postMessage(data) {
      for (const other of channels) if (other !== this && !other.closed && other.name === this.name) for (const l of other.listeners) l({ data });
    }
    close() { this.closed = true; channels.delete(this); }
  }
  const tab = () => {
    const listeners = new Set();
    return {
      BroadcastChannel: FakeChannel,
      setTimeout: (callback) => queueMicrotask(callback),
      document: {
        listeners,
        addEventListener: (_, l) => listeners.add(l),
        removeEventListener: (_, l) => listeners.delete(l),
        submit(action) {
          for (const l of listeners) l({ target: { matches: (selector) => selector === `form[action="${action}"]` } });
        },
      },
    };
  };
  return { tab, channels };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 10));

test("Signing out in one tab signs the others out once the server has signed the learner out", async () => {
  const { tab, channels } = browser();
  const [first, second] = [tab(), tab()];
  let serverSaysSignedIn = 2; // the sign-out request is still on its way for two checks
  let reloaded = 0;
  const a = followSignOut({ win: first, stillSignedIn: async () => true, onSignedOut: () => assert.fail("the tab that signed out reloads by itself") });
  const b = followSignOut({ win: second, stillSignedIn: async () => serverSaysSignedIn-- > 0, onSignedOut: () => (reloaded += 1) });

  first.document.submit("/Account/Search"); // another form: nothing happens
  await settle();
  assert.equal(reloaded, 0);
  first.document.submit("/Account/Logout");
  await settle();

  assert.equal(reloaded, 1);
  a.dispose();
  b.dispose();
  assert.equal(channels.size, 0);
  assert.equal(first.document.listeners.size + second.document.listeners.size, 0);
});

test("A tab still signed in after every check (the sign-out failed) stays as it is", async () => {
  const { tab } = browser();
  const [first, second] = [tab(), tab()];
  let checks = 0;
  let reloaded = 0;
  followSignOut({ win: first, stillSignedIn: async () => true });
  followSignOut({ win: second, stillSignedIn: async () => (checks += 1) > 0, onSignedOut: () => (reloaded += 1), tries: 3 });

  first.document.submit("/Account/Logout");
  await settle();

  assert.equal(checks, 3);
  assert.equal(reloaded, 0);
});

test("Signing out from a page without the tutor (it only announces) signs the tutor's tabs out", async () => {
  const { tab, channels } = browser();
  const [feedPage, coursePage] = [tab(), tab()];
  let reloaded = 0;
  const announcer = announceSignOut({ win: feedPage });
  const tutor = followSignOut({ win: coursePage, stillSignedIn: async () => false, onSignedOut: () => (reloaded += 1) });

  feedPage.document.submit("/Account/Logout");
  await settle();

  assert.equal(reloaded, 1);
  announcer.dispose();
  tutor.dispose();
  assert.equal(channels.size, 0);
});

test("A page that both announces and follows does not hear its own sign-out: one channel per tab", async () => {
  const { tab, channels } = browser();
  const [coursePage, otherTab] = [tab(), tab()];
  let checksHere = 0;
  let reloadedThere = 0;
  const announcer = announceSignOut({ win: coursePage });
  const here = followSignOut({ win: coursePage, stillSignedIn: async () => (checksHere += 1) < 0 });
  const there = followSignOut({ win: otherTab, stillSignedIn: async () => false, onSignedOut: () => (reloadedThere += 1) });
  assert.equal(channels.size, 2);

  coursePage.document.submit("/Account/Logout");
  await settle();

  assert.equal(checksHere, 0);
  assert.equal(reloadedThere, 1);
  here.dispose();
  assert.equal(coursePage.document.listeners.size, 1); // the announcer still listens for the form
  announcer.dispose();
  there.dispose();
  assert.equal(channels.size + coursePage.document.listeners.size + otherTab.document.listeners.size, 0);
});
