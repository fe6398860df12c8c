// The compose page: lint the draft as the agent types, mark the warnings in the text, explain them on
// hover or click, and apply a better wording with one click. Plain JavaScript, no build step.
"use strict";

(() => {
  const DEBOUNCE_MS = 250;
  const HIDE_DELAY_MS = 250;
  const TOKEN_KEY = "empathylint-token";
  const $ = (id) => document.getElementById(id);
  const draft = $("draft");
  const customer = $("customer");
  const backdrop = $("backdrop");
  const list = $("warnings");
  const noticeList = $("notices");
  const count = $("count");
  const status = $("status");
  const popover = $("popover");
  const tokenBox = $("token-box");
  const tokenInput = $("token");

  // Diagnostics of the current text; `s`/`e` are offsets in UTF-16 units (the server counts code points).
  let diagnostics = [];
  let lastText = "";
  let timer = null;
  let hideTimer = null;
  let inflight = null;
  let pinned = null;

  // ---- offsets ---------------------------------------------------------------------------------------
  function codePointsToUnits(text) {
    if (!/[\uD800-\uDFFF]/.test(text)) return (i) => i;
    const units = [];
    let unit = 0;
    for (const ch of text) {
      units.push(unit);
      unit += ch.length;
    }
    units.push(unit);
    return (i) => units[Math.min(i, units.length - 1)];
  }

  // Keep the marks in place while the agent types: marks before the edit stay, marks after it move by
  // the length change, marks the edit touched are dropped until the next answer from the server.
  function followEdit(oldText, newText) {
    const max = Math.min(oldText.length, newText.length);
    let prefix = 0;
    while (prefix < max && oldText[prefix] === newText[prefix]) prefix++;
    let suffix = 0;
    while (suffix < max - prefix &&
           oldText[oldText.length - 1 - suffix] === newText[newText.length - 1 - suffix]) suffix++;
    const editEnd = oldText.length - suffix;
    const delta = newText.length - oldText.length;
    diagnostics = diagnostics.flatMap((d) => {
      if (d.e <= prefix) return [d];
      if (d.s >= editEnd) return [{ ...d, s: d.s + delta, e: d.e + delta }];
      return [];
    });
  }

  // ---- talking to the service ------------------------------------------------------------------------
  function setStatus(message, isError = false) {
    status.textContent = message;
    status.classList.toggle("error", isError);
  }

  function detailText(detail) {
    if (typeof detail === "string") return detail;
    if (Array.isArray(detail)) return detail.map((e) => `${(e.loc || []).join(".")}: ${e.msg}`).join("; ");
    return "the service refused the request";
  }

  function schedule() {
    clearTimeout(timer);
    timer = setTimeout(lint, DEBOUNCE_MS);
  }

  async function lint() {
    const text = draft.value;
    if (inflight) inflight.abort();
    if (!text.trim()) {
      diagnostics = [];
      render([]);
      setStatus("Type or paste a draft reply.");
      return;
    }
    const controller = new AbortController();
    inflight = controller;
    const body = { text };
    if (customer.value.trim()) body.customer = customer.value;
    const headers = { "Content-Type": "application/json" };
    const token = sessionStorage.getItem(TOKEN_KEY);
    if (token) headers.Authorization = `Bearer ${token}`;
    setStatus("Checking…");
    let response;
    let data;
    try {
      response = await fetch("/v1/lint", {
        method: "POST", headers, body: JSON.stringify(body), signal: controller.signal,
      });
      data = await response.json();
    } catch (err) {
      if (err.name !== "AbortError") setStatus(`Cannot reach the empathylint service (${err.message}).`, true);
      return;
    }
    if (controller !== inflight) return;
    inflight = null;
    if (response.status === 401) {
      tokenBox.hidden = false;
      setStatus("This server needs a token: enter it below.", true);
      return;
    }
    if (!response.ok) {
      setStatus(detailText(data.detail), true);
      return;
    }
    if (draft.value !== text) return; // typed meanwhile: the answer to the newer text is on its way
    const result = data.results[0] || { diagnostics: [], notices: [] };
    const units = codePointsToUnits(text);
    diagnostics = result.diagnostics.map((d) => ({ ...d, s: units(d.start), e: units(d.end) }));
    lastText = text;
    render(result.notices);
    const n = diagnostics.length;
    setStatus(n ? `${n} warning${n === 1 ? "" : "s"}: hover or click the marked words.` : "No warnings.");
  }

  // ---- drawing ---------------------------------------------------------------------------------------
  function autosize() {
    draft.style.height = "auto";
    draft.style.height = `${draft.scrollHeight + 2}px`;
  }

  function severityClass(items) {
    const order = ["info", "warning", "error"];
    const worst = items.reduce((w, d) => Math.max(w, order.indexOf(d.severity)), 0);
    return `sev-${order[worst]}`;
  }

  function renderMarks() {
    const text = draft.value;
    const cuts = new Set([0, text.length]);
    for (const d of diagnostics) {
      if (d.s < d.e && d.e <= text.length) {
        cuts.add(d.s);
        cuts.add(d.e);
      }
    }
    const points = [...cuts].sort((a, b) => a - b);
    const fragment = document.createDocumentFragment();
    for (let k = 0; k + 1 < points.length; k++) {
      const [a, b] = [points[k], points[k + 1]];
      const covering = diagnostics.map((d, i) => [d, i]).filter(([d]) => d.s <= a && b <= d.e && d.s < d.e);
      if (!covering.length) {
        fragment.append(text.slice(a, b));
        continue;
      }
      const mark = document.createElement("mark");
      mark.textContent = text.slice(a, b);
      mark.dataset.index = covering.map(([, i]) => i).join(" ");
      mark.className = severityClass(covering.map(([d]) => d));
      if (covering.some(([, i]) => i === pinned)) mark.classList.add("active");
      fragment.append(mark);
    }
    fragment.append("\n"); // a trailing line break needs a line after it to take up height
    backdrop.replaceChildren(fragment);
  }

  function renderList(notices) {
    list.replaceChildren(...diagnostics.map((d, i) => {
      const item = document.createElement("li");
      item.className = `sev-${d.severity}`;
      item.dataset.index = i;
      item.dataset.code = d.code;
      item.tabIndex = 0;
      const code = document.createElement("div");
      code.className = "code";
      code.textContent = `${d.code} ${d.name} · ${d.severity}`;
      const quote = document.createElement("div");
      quote.className = "quote";
      quote.textContent = `“${d.text}”`;
      const message = document.createElement("div");
      message.textContent = d.message;
      item.append(code, quote, message);
      const button = applyButton(i);
      if (button) item.append(button);
      item.addEventListener("click", () => focusDiagnostic(i));
      item.addEventListener("keydown", (ev) => {
        if (ev.key !== "Enter" && ev.key !== " ") return;
        // Without preventDefault the key would go on to the draft, now focused, and type over the selection.
        ev.preventDefault();
        focusDiagnostic(i);
      });
      return item;
    }));
    if (!diagnostics.length && draft.value.trim()) {
      const empty = document.createElement("li");
      empty.className = "empty";
      empty.textContent = "Nothing to change.";
      list.append(empty);
    }
    count.textContent = diagnostics.length ? `(${diagnostics.length})` : "";
    if (notices !== undefined) {
      noticeList.replaceChildren(...notices.map((n) => Object.assign(document.createElement("li"), { textContent: n })));
    }
  }

  function render(notices) {
    if (pinned !== null && !diagnostics[pinned]) pinned = null;
    renderMarks();
    renderList(notices);
    if (pinned === null) hidePopover(true);
  }

  // ---- explaining ------------------------------------------------------------------------------------
  function markRects(index) {
    const rects = [];
    for (const mark of backdrop.querySelectorAll("mark")) {
      if (mark.dataset.index.split(" ").includes(String(index))) rects.push(...mark.getClientRects());
    }
    return rects;
  }

  function diagnosticAt(x, y) {
    // The textarea lies over the marks, so the pointer is matched against the marks' boxes.
    for (const mark of backdrop.querySelectorAll("mark")) {
      for (const r of mark.getClientRects()) {
        if (x >= r.left && x <= r.right && y >= r.top && y <= r.bottom) {
          return Number(mark.dataset.index.split(" ")[0]);
        }
      }
    }
    return null;
  }

  function showPopover(index) {
    clearTimeout(hideTimer);
    const d = diagnostics[index];
    const rect = markRects(index)[0];
    if (!d || !rect) return;
    const title = document.createElement("h3");
    title.textContent = d.message;
    const why = document.createElement("p");
    why.className = "why";
    why.textContent = d.reason;
    const parts = [title, why];
    if (d.suggestions.length) {
      const label = document.createElement("p");
      label.textContent = "Better wording:";
      const items = document.createElement("ul");
      items.append(...d.suggestions.map((s) => Object.assign(document.createElement("li"), { textContent: s })));
      parts.push(label, items);
    }
    const button = applyButton(index);
    if (button) parts.push(button);
    popover.replaceChildren(...parts);
    popover.dataset.index = index;
    popover.hidden = false;
    const width = Math.min(420, document.documentElement.clientWidth - 16);
    popover.style.left = `${Math.max(8, Math.min(rect.left, document.documentElement.clientWidth - width - 8)) + window.scrollX}px`;
    popover.style.top = `${rect.bottom + window.scrollY + 6}px`;
  }

  function hidePopover(now = false) {
    clearTimeout(hideTimer);
    const hide = () => { popover.hidden = true; delete popover.dataset.index; };
    if (now) hide();
    else hideTimer = setTimeout(hide, HIDE_DELAY_MS);
  }

  function pin(index) {
    pinned = index;
    renderMarks();
    for (const item of list.children) item.classList.toggle("active", item.dataset.index === String(index));
    if (index === null) hidePopover(true);
    else showPopover(index);
  }

  function focusDiagnostic(index) {
    const d = diagnostics[index];
    draft.focus();
    draft.setSelectionRange(d.s, d.e);
    pin(index);
  }

  function diagnosticAtCaret() {
    const caret = draft.selectionStart;
    const found = diagnostics.findIndex((d) => d.s <= caret && caret <= d.e);
    return found === -1 ? null : found;
  }

  // ---- applying a better wording ---------------------------------------------------------------------
  // The rule's fix when it has one; else the first suggestion that is nothing but a quoted phrase (a
  // drop-in replacement such as "To recap where we are: …"), trailing ellipsis removed. A quoted whole
  // sentence only replaces a flagged whole sentence. Advice ("Drop the reference and …") is never pasted.
  function wording(d) {
    if (d.fix) {
      return { text: d.fix.replacement,
               label: d.fix.replacement ? `Replace with “${d.fix.replacement}”` : `Delete “${d.text}”` };
    }
    for (const suggestion of d.suggestions) {
      const quoted = /^\s*["“]([^"“”]+)["”]\s*$/.exec(suggestion);
      if (!quoted) continue;
      const phrase = quoted[1].replace(/\s*(…|\.\.\.)\s*$/, "").trim();
      if (!phrase) continue;
      if (/[.!?]$/.test(phrase) && !/[.!?]$/.test(d.text.trim())) continue;
      return { text: phrase, label: `Use “${phrase}”` };
    }
    return null;
  }

  function applyButton(index) {
    const w = wording(diagnostics[index]);
    if (!w) return null;
    const button = document.createElement("button");
    button.type = "button";
    button.className = "apply";
    button.textContent = w.label;
    button.addEventListener("click", (ev) => { ev.stopPropagation(); apply(index); });
    return button;
  }

  function apply(index) {
    const d = diagnostics[index];
    const w = d && wording(d);
    const text = draft.value;
    if (!w || text.slice(d.s, d.e) !== d.text) return;
    let [s, e, replacement] = [d.s, d.e, w.text];
    const atSentenceStart = /(^|[.!?]["”)]?\s+|\n\s*)$/.test(text.slice(0, s));
    if (!replacement) {
      // Deleting words: take the comma and one space after them along, and keep the sentence capitalised.
      const rest = text.slice(e);
      const gap = atSentenceStart ? /^[,;:]?\s+/.exec(rest) : /^\s+/.exec(rest);
      if (gap) e += gap[0].length;
      else if (s > 0 && /\s/.test(text[s - 1])) s -= 1;
      if (atSentenceStart && /^\p{Ll}/u.test(text.slice(e))) {
        replacement = text[e].toUpperCase();
        e += 1;
      }
    } else {
      if (atSentenceStart) replacement = replacement[0].toUpperCase() + replacement.slice(1);
      else if (/^\p{Lu}\p{Ll}/u.test(replacement) && !/^I\b/.test(replacement)) {
        replacement = replacement[0].toLowerCase() + replacement.slice(1);
      }
      if (/[,;:.]$/.test(replacement) && /^[,;:]/.test(text.slice(e))) e += 1;
    }
    pin(null);
    draft.focus();
    draft.setSelectionRange(s, e);
    // execCommand keeps the edit on the browser's undo stack; setRangeText is the fallback.
    const done = replacement ? document.execCommand("insertText", false, replacement)
                             : document.execCommand("delete");
    if (!done || draft.value === text) {
      draft.setRangeText(replacement, s, e, "end");
      draft.dispatchEvent(new Event("input", { bubbles: true }));
    }
  }

  // ---- wiring ----------------------------------------------------------------------------------------
  draft.addEventListener("input", () => {
    followEdit(lastText, draft.value);
    lastText = draft.value;
    autosize();
    render();
    schedule();
  });
  customer.addEventListener("input", schedule);
  tokenInput.addEventListener("change", () => {
    sessionStorage.setItem(TOKEN_KEY, tokenInput.value.trim());
    schedule();
  });

  draft.addEventListener("mousemove", (ev) => {
    if (pinned !== null) return;
    const index = diagnosticAt(ev.clientX, ev.clientY);
    if (index === null) hidePopover();
    else if (popover.dataset.index !== String(index) || popover.hidden) showPopover(index);
    else clearTimeout(hideTimer);
  });
  draft.addEventListener("mouseleave", () => { if (pinned === null) hidePopover(); });
  popover.addEventListener("mouseenter", () => clearTimeout(hideTimer));
  popover.addEventListener("mouseleave", () => { if (pinned === null) hidePopover(); });
  draft.addEventListener("click", () => pin(diagnosticAtCaret()));
  draft.addEventListener("keyup", (ev) => {
    if (/^(Arrow|Home|End|Page)/.test(ev.key)) pin(diagnosticAtCaret());
    if (ev.key === "Escape") pin(null);
  });
  window.addEventListener("resize", autosize);

  autosize();
  if (draft.value.trim()) schedule();
})();
