// early-guide.js: the landing guide, usable before WebAssembly has started.
//
// The guide on "/" is ChatPanel in a WebAssembly island (App.Client/LandingIsland.razor). Its
// prerendered markup shows at once but is inert until WebAssembly has downloaded and started, which
// takes seconds and megabytes. This module makes that markup usable the moment the page shows: it
// enables the question box, Send and the starter chips, sends questions with the chat client the
// .NET ChatPanel uses (chat-client.js, so the same requests and the same delivery module), and
// shows each turn by cloning the turn ChatMessageItem prerendered into <template data-early-turn>,
// so there is one chat markup, not two. The answer's text shows as plain text while it streams;
// WebAssembly renders it as Markdown once it takes over.
//
// The handover: this module keeps what it shows in sessionStorage (HANDOVER_KEY), and the
// WebAssembly ChatPanel shows those turns on its first render (EarlyGuideHandover.cs), so the
// conversation does not blink away while the session's history is fetched. When the old panel has
// left the document, this module stops its deliveries (it must not stream the same job twice), and
// the WebAssembly panel replaces the handed-over turns with the session's history, which the server
// keeps, resuming an answer still on its way (the reload path); the text typed but not sent moves
// into the new question box, with the focus if it was there. The server's history stays the one
// copy of the conversation: the stored turns are only what was on screen, cleared on every load.
import { ChatClient } from "./chat-client.js";
import { sendOnEnter } from "../Chat/ChatInput.razor.js";

const BASE_PATH = "/api/landing-assistant";

/** Where the turns on screen wait for the WebAssembly panel (EarlyGuideHandover.StorageKey). */
export const HANDOVER_KEY = "blazorjobs.early-guide.turns";

/** The early guide's enqueues still in flight. A POST outlives the handover (its job is the server's). */
const enqueuesInFlight = new Set();

/**
 * Resolves once no question of the early guide is still being enqueued. The WebAssembly panel waits
 * for it (through chat-interop.js) before it reads the session's history, so a question asked while
 * WebAssembly was starting is in that history, not lost between the two.
 */
export function earlyQuestionsSettled() {
  return Promise.allSettled([...enqueuesInFlight]).then(() => undefined);
}

/** The states ChatMessageItem writes into data-state (ExchangeState, lower case). */
const State = { sending: "sending", notSent: "notsent", waiting: "waiting", working: "working", streaming: "streaming", completed: "completed", failed: "failed", cancelled: "cancelled", interrupted: "interrupted" };

/**
 * @param {Element} root the element holding the prerendered guide ([data-early-guide])
 * @returns {{settled(): Promise<void>}} settled: resolves when no question is being enqueued
 */
export function enhanceGuide(root, { basePath = BASE_PATH, assistantName = "Guide" } = {}) {
  const panel = root.querySelector(".chat-panel");
  const form = panel.querySelector("form.chat-input");
  const box = form.querySelector("textarea");
  const send = form.querySelector("button[type=submit]");
  const list = panel.querySelector(".chat-messages");
  const turnTemplate = root.querySelector("template[data-early-turn]");

  const turnsByKey = new Map();
  const turnsByJob = new Map();
  /** The turns on screen as the WebAssembly panel first shows them: {question, answer, state, problem, suggestions}. */
  const shown = [];
  let handedOver = false; // set once the WebAssembly panel has replaced this one
  storeForHandover(null); // a reload starts afresh: what an earlier load showed is the history's now
  let sessionId = null;
  let busy = false;
  let enqueuing = Promise.resolve();

  const client = new ChatClient({ basePath }, {
    async invokeMethodAsync(method, ...args) {
      if (method === "OnJobAccepted") accepted(...args);
      else if (method === "OnJobUpdate") updated(args[0]);
      else if (method === "OnJobCompleted") completed(...args);
      else if (method === "OnJobEnded") ended(...args);
    },
  });

  function canSend() {
    return !busy && box.value.trim().length > 0;
  }

  function refreshSend() {
    send.disabled = !canSend();
    send.classList.toggle("mud-disabled", send.disabled);
  }

  async function ask(question) {
    question = question.trim();
    if (busy || !question) return false;
    busy = true;
    showSuggestions([]);
    refreshSend();
    const key = crypto.randomUUID();
    const turn = addTurn(question);
    turnsByKey.set(key, turn);
    let done;
    const thisEnqueue = new Promise((resolve) => (done = resolve));
    enqueuing = thisEnqueue;
    enqueuesInFlight.add(thisEnqueue);
    try {
      const outcome = await client.enqueue({ question, sessionId, idempotencyKey: key });
      if (outcome.ok) return true;
      turn.show(State.notSent, null, outcome.detail ?? outcome.title ?? "The question could not be sent.");
      busy = false;
      return false;
    } finally {
      done();
      enqueuesInFlight.delete(thisEnqueue);
      refreshSend();
    }
  }

  function accepted(key, job) {
    const turn = turnsByKey.get(key);
    if (!turn) return;
    sessionId = job.sessionId;
    turnsByJob.set(job.jobId, turn);
    turn.mode = job.delivery;
    turn.show(State.waiting);
  }

  /** The panel's data-delivery, as ChatConversation.DeliveryCaption writes it (for support and tests). */
  function showDelivery(mode, transport) {
    if (!mode) return;
    panel.dataset.delivery = transport && transport !== mode ? `via ${mode} · ${transport}` : `via ${mode}`;
  }

  function updated(update) {
    const turn = turnsByJob.get(update.jobId);
    if (!turn) return;
    if (update.reset) turn.text = "";
    if (update.text) turn.text += update.text;
    if (turn.text) turn.show(State.streaming);
    else if (update.message || update.status === "PROCESSING") turn.show(State.working, update.message);
  }

  function completed(jobId, result, transport) {
    const turn = turnsByJob.get(jobId);
    if (!turn) return;
    showDelivery(turn.mode, transport);
    turn.text = result?.answer ?? turn.text;
    turn.live = false;
    turn.show(State.completed);
    showSuggestions(result?.nextSuggestions);
    finished();
  }

  function ended(jobId, kind, message) {
    const turn = turnsByJob.get(jobId);
    if (!turn) return;
    const state = kind === "cancelled" ? State.cancelled : kind === "failed" ? State.failed : State.interrupted;
    turn.live = false;
    turn.show(state, null, message || "The answer did not arrive.");
    finished();
  }

  function finished() {
    busy = false;
    refreshSend();
  }

  function storeForHandover(turns) {
    try {
      if (turns) sessionStorage.setItem(HANDOVER_KEY, JSON.stringify(turns));
      else sessionStorage.removeItem(HANDOVER_KEY);
    } catch {
      // Storage denied or full: the WebAssembly panel shows a skeleton until the history arrives.
    }
  }

  function addTurn(question, state = State.sending) {
    list.querySelector(".chat-empty")?.remove();
    const article = turnTemplate.content.firstElementChild.cloneNode(true);
    const asked = article.querySelector(".chat-bubble-user");
    while (asked.lastChild && asked.lastChild !== asked.firstElementChild) asked.lastChild.remove(); // keeps "You asked: "
    asked.append(question);
    const answer = article.querySelector(".chat-answer");
    list.append(article);
    list.scrollTop = list.scrollHeight;
    const onScreen = { question, answer: "", state, problem: null, suggestions: [] };
    shown.push(onScreen);
    const turn = {
      text: "",
      show(state, status, problem) {
        Object.assign(onScreen, { answer: turn.text, state, problem: problem ?? null });
        if (!handedOver) storeForHandover(shown);
        article.dataset.state = state;
        answer.setAttribute("aria-busy", [State.sending, State.waiting, State.working, State.streaming].includes(state) ? "true" : "false");
        answer.replaceChildren(content(state, status, turn.text));
        if (problem) answer.append(paragraph("chat-status", problem));
        list.scrollTop = list.scrollHeight;
      },
    };
    turn.show(state);
    return turn;
  }

  function content(state, status, text) {
    if (state === State.sending) return paragraph("chat-status", "Sending your question…");
    if (state === State.waiting || state === State.working) return paragraph("chat-status", status ?? `Waiting for the ${assistantName.toLowerCase()}…`);
    const markdown = paragraph(state === State.streaming ? "chat-markdown chat-streaming chat-early-text" : "chat-markdown chat-early-text", text);
    return text ? markdown : document.createTextNode("");
  }

  function paragraph(className, text) {
    const p = document.createElement("p");
    p.className = className;
    p.textContent = text;
    return p;
  }

  // -- the prerendered controls, made live ---------------------------------------------------

  for (const disabled of form.querySelectorAll(".mud-disabled")) disabled.classList.remove("mud-disabled");
  box.disabled = false;
  box.addEventListener("input", refreshSend);
  const enter = sendOnEnter(form);
  form.addEventListener("submit", async (event) => {
    event.preventDefault(); // the form has no action: without this the browser would reload the page
    if (!canSend()) return;
    const question = box.value;
    box.value = "";
    if (!(await ask(question)) && !box.value) box.value = question;
    refreshSend();
  });
  refreshSend();

  const starterChips = [...panel.querySelectorAll(".chat-suggestions .mud-chip")];
  // A chip as MudChip prerendered it (LandingIsland's <template data-early-chip>): the "Ask next"
  // chips after an answer are its clones.
  const chipTemplate = root.querySelector("template[data-early-chip]")?.content.querySelector(".mud-chip")?.cloneNode(true);
  for (const chip of starterChips) wireChip(chip);

  function wireChip(chip) {
    chip.classList.remove("mud-disabled");
    chip.classList.add("mud-clickable");
    chip.setAttribute("role", "button");
    chip.tabIndex = 0;
    chip.removeAttribute("aria-disabled");
    const pick = () => {
      ask(chip.textContent);
      box.focus();
    };
    chip.addEventListener("click", pick);
    chip.addEventListener("keydown", (event) => {
      if (event.key !== "Enter" && event.key !== " ") return;
      event.preventDefault();
      pick();
    });
  }

  /** The answer's next questions under the conversation, as ChatPanel's "Ask next" shows them. */
  function showSuggestions(suggestions) {
    panel.querySelector(".chat-suggestions[data-early-next]")?.remove();
    if (shown.length && !handedOver) {
      shown.at(-1).suggestions = suggestions ?? [];
      storeForHandover(shown);
    }
    if (!chipTemplate || !suggestions?.length) return;
    const group = document.createElement("div");
    group.className = "chat-suggestions";
    group.dataset.earlyNext = "";
    group.setAttribute("role", "group");
    group.setAttribute("aria-label", "Ask next");
    for (const suggestion of suggestions) {
      const chip = chipTemplate.cloneNode(true);
      (chip.querySelector(".mud-chip-content") ?? chip).textContent = suggestion;
      wireChip(chip);
      group.append(chip);
    }
    list.after(group);
  }

  // -- a remembered conversation, shown again (a reload) ------------------------------------------

  /**
   * The page found a conversation to show again and prerendered "Loading your conversation…"
   * (ChatMessageList, data-loading-conversation): fetch it as the WebAssembly panel would (the
   * latest session's history) and show it, resuming an answer still on its way, so a reload shows
   * the conversation within a round trip instead of after WebAssembly has started. Asking waits
   * until it is shown, so a new question joins that session.
   */
  async function showRememberedConversation(loading) {
    busy = true;
    refreshSend();
    let problem = null;
    try {
      const sessions = await client.listSessions();
      const latest = sessions.ok ? sessions.data?.sessions?.[0] : null;
      const history = latest ? await client.history(latest.sessionId) : null;
      if (!sessions.ok || (history && !history.ok)) problem = "Your earlier conversation could not be loaded.";
      else if (history?.data) showHistory(history.data);
    } catch {
      problem = "Your earlier conversation could not be loaded.";
    } finally {
      loading.remove();
      if (problem) list.append(paragraph("chat-status", problem));
      busy = [...turnsByJob.values()].some((turn) => turn.live);
      refreshSend();
    }
  }

  /** The history as ChatConversation.LoadHistory shows it (its states and words). */
  function showHistory(history) {
    sessionId = history.sessionId;
    const jobs = new Map();
    for (const message of history.messages ?? []) {
      if (!jobs.has(message.jobId)) jobs.set(message.jobId, []);
      jobs.get(message.jobId).push(message);
    }
    let last = null;
    for (const [jobId, messages] of jobs) {
      const asked = messages.find((m) => m.role === "user")?.text ?? "";
      const answer = messages.findLast((m) => m.role === "assistant");
      const pending = history.pendingJob?.jobId === jobId ? history.pendingJob : null;
      const status = messages[0].status;
      const state = status === "COMPLETED" ? State.completed : status === "FAILED" ? State.failed : status === "CANCELLED" ? State.cancelled
        : pending ? State.waiting : State.interrupted;
      const turn = addTurn(asked, state);
      turnsByJob.set(jobId, turn);
      if (state === State.completed) turn.text = answer?.text ?? "";
      turn.show(state, null, {
        [State.failed]: "This question could not be answered.",
        [State.cancelled]: "You stopped this answer.",
        [State.interrupted]: "This answer is still being worked on. Reload the page to see it.",
      }[state]);
      if (pending) {
        turn.live = true;
        turn.mode = pending.delivery;
        // Its text so far comes again with the resumed stream (it replays the current attempt's text).
        client.deliver({ jobId, sessionId: history.sessionId, delivery: pending.delivery, streamUrl: pending.streamUrl, pollUrl: pending.pollUrl }, String(pending.lastEventId));
      }
      last = { state, suggestions: answer?.suggestions };
    }
    if (last?.state === State.completed) showSuggestions(last.suggestions);
  }

  const rememberedLoading = list.querySelector("[data-loading-conversation]");
  if (rememberedLoading) enqueuing = showRememberedConversation(rememberedLoading);

  // -- the handover to WebAssembly ------------------------------------------------------------

  let draft = "";
  // Removing a focused element moves the focus to <body> without a reliable event, so the last
  // focus inside the page is what says whether the reader was in the box.
  let boxHadFocus = false;
  const trackFocus = (event) => (boxHadFocus = event.target === box);
  document.addEventListener("focusin", trackFocus);
  const watch = new MutationObserver(() => {
    if (!handedOver && !panel.isConnected) {
      handedOver = true;
      draft = box.value;
      document.removeEventListener("focusin", trackFocus);
      enter.dispose();
      client.dispose();
    }
    if (handedOver) giveDraftToWebAssembly();
  });
  watch.observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ["disabled"] });

  /** Once the WebAssembly panel's box is enabled (its chat is connected), the draft moves into it. */
  function giveDraftToWebAssembly() {
    const next = document.querySelector("[data-early-guide] form.chat-input textarea");
    if (!next || next.disabled) return;
    watch.disconnect();
    if (!draft) return;
    next.value = draft;
    // MudTextField (Immediate) reads the value from the input event, as if the reader had typed it.
    next.dispatchEvent(new Event("input", { bubbles: true }));
    if (boxHadFocus && document.activeElement === document.body) next.focus();
  }

  return {
    settled: () => enqueuing,
  };
}
