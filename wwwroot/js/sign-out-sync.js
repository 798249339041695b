// sign-out-sync.js: signing out in one tab signs the tutor's other tabs out too. Cookies are shared
// by every tab, but a tab already open keeps showing the learner as signed in (and its bearer token
// works until the security-stamp check catches it), so the tab that signs out tells the others.
//
// Every page announces (blazor-start.js: the sign-out button is in every page's header); the tutor's
// pages also follow (chat-client.js). One channel per tab serves both, so a tab never hears its own
// announcement (BroadcastChannel delivers to every other object of the name, in this tab too).

const CHANNEL = "blazorjobs-auth";
const SIGNED_OUT = "signed-out";
const LOGOUT_FORM = 'form[action="/Account/Logout"]';

/** Per window: its one channel, what follows it, and how many announcers and followers use it. */
const tabs = new WeakMap();

function join(win) {
  let tab = tabs.get(win);
  if (!tab) {
    const channel = new win.BroadcastChannel(CHANNEL);
    const followers = new Set();
    const onSubmit = (event) => {
      if (event.target?.matches?.(LOGOUT_FORM)) channel.postMessage(SIGNED_OUT);
    };
    const onMessage = (event) => {
      if (event.data === SIGNED_OUT) for (const follow of followers) follow();
    };
    channel.addEventListener("message", onMessage);
    win.document?.addEventListener("submit", onSubmit, true);
    tab = { channel, followers, users: 0, onSubmit, onMessage };
    tabs.set(win, tab);
  }
  tab.users += 1;
  let left = false;
  const leave = () => {
    if (left) return;
    left = true;
    tab.users -= 1;
    if (tab.users > 0) return;
    tab.channel.removeEventListener("message", tab.onMessage);
    win.document?.removeEventListener("submit", tab.onSubmit, true);
    tab.channel.close();
    tabs.delete(win);
  };
  return { tab, leave };
}

/**
 * Tells the other tabs when this one submits the sign-out form (from any page).
 * @returns {{dispose(): void}}
 */
export function announceSignOut({ win = globalThis } = {}) {
  if (typeof win.BroadcastChannel !== "function") return { dispose() {} };
  const { leave } = join(win);
  return { dispose: leave };
}

/**
 * Announces as {@link announceSignOut} does and, told by another tab, waits until the server has
 * really signed the learner out (the message leaves before the sign-out request ends) and then
 * calls `onSignedOut` (by default: reload, so the page shows the signed-out state).
 *
 * @param {{stillSignedIn: () => Promise<boolean>, onSignedOut?: () => void, win?: any, retryMs?: number, tries?: number}} options
 * @returns {{dispose(): void}}
 */
export function followSignOut({ stillSignedIn, onSignedOut, win = globalThis, retryMs = 500, tries = 20 }) {
  if (typeof win.BroadcastChannel !== "function") return { dispose() {} };
  const signedOut = onSignedOut ?? (() => win.location.reload());
  const { tab, leave } = join(win);
  let checking = false;
  let disposed = false;

  const follow = async () => {
    if (checking) return;
    checking = true;
    try {
      for (let attempt = 0; attempt < tries && !disposed; attempt += 1) {
        if (!(await stillSignedIn())) {
          if (!disposed) signedOut();
          return;
        }
        await new Promise((resolve) => win.setTimeout(resolve, retryMs));
      }
    } finally {
      checking = false;
    }
  };
  tab.followers.add(follow);
  return {
    dispose() {
      disposed = true;
      tab.followers.delete(follow);
      leave();
    },
  };
}
