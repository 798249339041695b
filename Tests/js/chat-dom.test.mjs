// The chat components' collocated DOM modules (ChatInput.razor.js, ChatMessageList.razor.js),
// exercised with minimal stand-ins for the elements they are given.
import { test } from "node:test";
import assert from "node:assert/strict";
import { focusWhenLinkedTo, sendOnEnter } from "../../App.Client/Chat/ChatInput.razor.js";
import { copyCode, followNewText } from "../../App.Client/Chat/ChatMessageList.razor.js";

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

/** A conversation frame as ChatMessageList renders it: the list that scrolls, and the jump button. */
function conversation({ overflowY = "auto", ...list } = {}) {
  const frame = element({ attributes: new Set() });
  const listElement = element({ focused: 0, focus() { this.focused += 1; }, ...list });
  const jump = element();
  frame.querySelector = (selector) => (selector === ".chat-messages" ? listElement : jump);
  frame.setAttribute = (name) => frame.attributes.add(name);
  frame.removeAttribute = (name) => frame.attributes.delete(name);
  const win = element({
    innerHeight: 800,
    getComputedStyle: () => ({ overflowY }),
    MutationObserver: class {
      constructor(callback) {
        win.onMutation = callback;
      }
      observe() {}
      disconnect() {
        win.onMutation = undefined;
      }
    },
  });
  return { frame, list: listElement, jump, win };
}

test("The list follows new text at its end; scrolled up, it offers to jump to the latest, which goes there and keeps focus", () => {
  const { frame, list, jump, win } = conversation({ scrollHeight: 1000, scrollTop: 600, clientHeight: 400 });
  const follower = followNewText(frame, win);

  list.scrollHeight = 1200;
  win.onMutation();
  assert.equal(list.scrollTop, 1200);
  assert.equal(frame.attributes.has("data-behind"), false);

  list.scrollTop = 100;
  list.fire("scroll");
  list.scrollHeight = 1400;
  win.onMutation();
  assert.equal(list.scrollTop, 100);
  assert.equal(frame.attributes.has("data-behind"), true);

  jump.fire("click");
  assert.equal(list.scrollTop, 1400);
  assert.equal(frame.attributes.has("data-behind"), false);
  assert.equal(list.focused, 1);
  list.scrollHeight = 1600;
  win.onMutation();
  assert.equal(list.scrollTop, 1600);

  follower.dispose();
  assert.equal(win.onMutation, undefined);
  assert.equal(list.listeners.size + jump.listeners.size + frame.listeners.size + win.listeners.size, 0);
});

test("On a phone the list grows with the page: the page follows only a reader already at the conversation's end", () => {
  let bottom = 2400; // the list's end, far below a page opened at its top
  let scrolledBy = 0;
  const { frame, list, win } = conversation({ overflowY: "visible", getBoundingClientRect: () => ({ bottom }) });
  win.scrollBy = (_, y) => {
    scrolledBy += y;
    bottom -= y;
  };
  followNewText(frame, win);

  bottom += 200;
  win.onMutation();
  assert.equal(scrolledBy, 0);

  bottom = 820;
  win.fire("scroll");
  bottom = 1000;
  win.onMutation();
  assert.equal(scrolledBy, 200);
  assert.equal(bottom, 800);
  assert.equal(list.focused, 0);
});

test("A code block's Copy button copies its code and says so; refused, it selects the code instead", async () => {
  const code = { textContent: "const a = 1;\n" };
  const button = {
    textContent: "Copy",
    attributes: new Map([["aria-label", "Copy js code"]]),
    getAttribute(name) { return this.attributes.get(name); },
    setAttribute(name, value) { this.attributes.set(name, value); },
    closest: () => ({ querySelector: () => code }),
  };
  const timers = [];
  const written = [];
  let selected;
  const win = {
    navigator: { clipboard: { writeText: async (text) => written.push(text) } },
    setTimeout: (callback) => timers.push(callback),
    getSelection: () => ({ selectAllChildren: (node) => (selected = node) }),
  };

  await copyCode(button, win);
  assert.deepEqual(written, ["const a = 1;\n"]);
  assert.deepEqual([button.textContent, button.getAttribute("aria-label")], ["Copied", "Copied"]);
  timers.shift()();
  assert.deepEqual([button.textContent, button.getAttribute("aria-label")], ["Copy", "Copy js code"]);

  win.navigator.clipboard.writeText = async () => {
    throw new Error("NotAllowedError");
  };
  await copyCode(button, win);
  assert.equal(selected, code);
  assert.match(button.textContent, /Ctrl\+C/);
});

test("A link to the section holding the question box focuses the box; other links do not", () => {
  let focused = 0;
  const box = { querySelector: () => ({ focus: () => (focused += 1) }) };
  const section = { contains: (node) => node === box };
  const doc = element({ getElementById: (id) => (id === "tutor" ? section : { contains: () => false }) });
  const link = (href) => ({ target: { closest: () => ({ getAttribute: () => href }) } });
  const follower = focusWhenLinkedTo(box, doc);

  doc.fire("click", link("#tutor"));
  doc.fire("click", link("#main-content"));
  doc.fire("click", link("#"));
  doc.fire("click", { target: { closest: () => null } });

  assert.equal(focused, 1);
  follower.dispose();
  assert.equal(doc.listeners.size, 0);
});
