// The chat components' collocated DOM modules (ChatInput.razor.js, ChatMessageList.razor.js),
// exercised with minimal stand-ins for the elements they are given.
import { test } from "node:test";
import assert from "node:assert/strict";
import { sendOnEnter } from "../../App.Client/Chat/ChatInput.razor.js";
import { followNewText } from "../../App.Client/Chat/ChatMessageList.razor.js";

function element(extra = {}) {
  const listeners = new Map();
  return {
    ...extra,
    listeners,
    addEventListener: (type, listener) => listeners.set(type, listener),
    removeEventListener: (type, listener) => listeners.get(type) === listener && listeners.delete(type),
    fire(type, event = {}) {
      listeners.get(type)?.(event);
    },
  };
}

function keyDown(key, { shiftKey = false, isComposing = false } = {}) {
  let submitted = 0;
  let prevented = false;
  const form = { requestSubmit: () => (submitted += 1) };
  return {
    event: { key, shiftKey, isComposing, target: { tagName: "TEXTAREA", closest: () => form }, preventDefault: () => (prevented = true) },
    submitted: () => submitted,
    prevented: () => prevented,
  };
}

test("Enter submits the form; Shift+Enter and Enter while composing do not", () => {
  const box = element();
  const input = sendOnEnter(box);

  const enter = keyDown("Enter");
  box.fire("keydown", enter.event);
  const shifted = keyDown("Enter", { shiftKey: true });
  box.fire("keydown", shifted.event);
  const composing = keyDown("Enter", { isComposing: true });
  box.fire("keydown", composing.event);

  assert.deepEqual([enter.submitted(), enter.prevented()], [1, true]);
  assert.deepEqual([shifted.submitted(), shifted.prevented()], [0, false]);
  assert.equal(composing.submitted(), 0);
  input.dispose();
  assert.equal(box.listeners.size, 0);
});

test("The list follows new text at its end, and stops following once the reader scrolls up", () => {
  let onMutation;
  globalThis.MutationObserver = class {
    constructor(callback) {
      onMutation = callback;
    }
    observe() {}
    disconnect() {
      onMutation = undefined;
    }
  };
  const list = element({ scrollHeight: 1000, scrollTop: 600, clientHeight: 400 });
  const follower = followNewText(list);

  list.scrollHeight = 1200;
  onMutation();
  assert.equal(list.scrollTop, 1200);

  list.scrollTop = 100;
  list.fire("scroll");
  list.scrollHeight = 1400;
  onMutation();
  assert.equal(list.scrollTop, 100);

  follower.dispose();
  assert.equal(onMutation, undefined);
  assert.equal(list.listeners.size, 0);
});
