// One reply editor on the page (a <textarea> or a contenteditable element): lints its text through the
// service worker after the agent pauses, draws the findings over it, explains one on hover or click and
// applies a rule's safe fix as an edit the editor itself makes (execCommand, so the caret stays where the
// agent left it and the editor's undo takes the fix back).
"use strict";

(() => {
  if (globalThis.empathylintEditor) return;
  const { api, atOrAbove } = globalThis.empathylintSettings;
  const { unitsOf, snapshot, rangeOf, offsetOf, editableRects, TextareaMirror } = globalThis.empathylintText;
  const { overlayFor } = globalThis.empathylintOverlay;

  const DEBOUNCE_MS = 300;
  const TYPING_TIMEOUT_MS = 4000;
  const HIDE_DELAY_MS = 300;
  const MAX_CHARS = 20000;
  let counter = 0;

  function severityOf(items) {
    return ["error", "warning", "info"].find((s) => items.some((d) => d.severity === s)) ?? "info";
  }

  // How a safe fix is applied, the way `empathylint check --fix` applies it: a deletion takes one space
  // next to it along, and a deleted sentence start passes its capital to the next word.
  function plannedEdit(text, start, end, replacement) {
    if (replacement) return { start, end, replacement };
    if (end < text.length && text[end] === " " && (start === 0 || !/[\p{L}\p{N}]/u.test(text[start - 1]))) end += 1;
    else if (start > 0 && text[start - 1] === " ") start -= 1;
    const removed = text.slice(start, end).trimStart();
    const next = text[end] ?? "";
    if (/^\p{Lu}/u.test(removed) && /\p{Ll}/u.test(next)) return { start, end: end + 1, replacement: next.toUpperCase() };
    return { start, end, replacement: "" };
  }

  function fixLabel(d) {
    if (!d.fix || !d.fix.safe) return null;
    return d.fix.replacement ? `Replace with “${d.fix.replacement}”` : `Delete “${d.text}”`;
  }

  class Editor {
    constructor(root, preset, hooks) {
      this.root = root;
      this.preset = preset;
      this.hooks = hooks; // {customer(): string|null, exclude: selector}
      this.doc = root.ownerDocument;
      this.win = this.doc.defaultView;
      this.isTextarea = root.tagName === "TEXTAREA";
      this.key = `e${++counter}`;
      this.overlay = overlayFor(this.doc);
      this.mirror = this.isTextarea ? new TextareaMirror(root, this.overlay.root) : null;
      this.diagnostics = []; // with s/e (and fix.s/fix.e) in UTF-16 units of `this.text`
      this.text = "";
      this.linted = null; // the text the last answer was for
      this.state = "idle"; // idle | checking | ok | skipped
      this.reason = "";
      this.seq = 0;
      this.timer = null;
      this.hideTimer = null;
      this.pinned = null;
      this.shown = null;
      this.latencyMs = null;
      this.checks = 0; // answers drawn so far
      this.frame = 0;
      this.listen();
      this.text = this.read().text;
      if (this.text.trim()) this.schedule();
    }

    // ---- reading ---------------------------------------------------------------------------------
    read() {
      return this.isTextarea ? { text: this.root.value, segments: null } : snapshot(this.root, this.hooks.exclude);
    }

    caret() {
      if (this.isTextarea) return this.root.selectionEnd;
      const selection = this.doc.getSelection();
      if (!selection.rangeCount || !this.root.contains(selection.focusNode)) return null;
      return offsetOf(this.read(), selection.focusNode, selection.focusOffset);
    }

    rectsOf(snap, start, end) {
      return this.isTextarea ? this.mirror.rects(start, end) : editableRects(snap, start, end);
    }

    visibleBox() {
      const r = this.root.getBoundingClientRect();
      const view = { right: this.win.innerWidth, bottom: this.win.innerHeight };
      return { left: Math.max(0, r.left), top: Math.max(0, r.top), right: Math.min(view.right, r.right),
               bottom: Math.min(view.bottom, r.bottom) };
    }

    // ---- linting ---------------------------------------------------------------------------------
    schedule() {
      clearTimeout(this.timer);
      this.timer = setTimeout(() => this.lint(TYPING_TIMEOUT_MS), DEBOUNCE_MS);
    }

    fresh() {
      return this.linted !== null && this.linted === this.read().text && this.state !== "checking";
    }

    // Lints the text as it is now; resolves with the service worker's answer once it is drawn.
    async lint(timeoutMs) {
      clearTimeout(this.timer);
      const started = performance.now();
      const text = this.read().text;
      const seq = ++this.seq;
      if (!text.trim()) {
        Object.assign(this, { diagnostics: [], linted: text, state: "idle" });
        this.render();
        api.runtime.sendMessage({ type: "badge", state: "ok", diagnostics: [] }).catch(() => {});
        return { status: "ok", diagnostics: [] };
      }
      this.state = "checking";
      this.render();
      const customer = this.hooks.customer();
      let answer;
      try {
        answer = await api.runtime.sendMessage({ type: "lint", text: text.slice(0, MAX_CHARS), timeoutMs,
                                                 customer: customer ? customer.slice(0, MAX_CHARS) : null });
      } catch (err) {
        answer = { status: "skipped", reason: `the extension could not ask the service (${err.message})` };
      }
      if (seq !== this.seq) return answer; // a newer check is on its way
      if (this.read().text !== text) { // typed meanwhile: this answer is for an older text
        this.schedule();
        this.state = "idle";
        return answer;
      }
      this.linted = text;
      this.text = text;
      if (answer.status === "ok") {
        const units = unitsOf(text);
        this.diagnostics = answer.diagnostics.map((d) => ({
          ...d, s: units(d.start), e: units(d.end),
          fix: d.fix ? { ...d.fix, s: units(d.fix.start), e: units(d.fix.end) } : null,
        }));
        this.state = "ok";
        this.reason = "";
      } else {
        this.diagnostics = [];
        this.state = "skipped";
        this.reason = answer.reason;
      }
      if (this.pinned !== null && !this.diagnostics[this.pinned]) this.pinned = null;
      this.render();
      api.runtime.sendMessage({ type: "badge", state: this.state, diagnostics: this.diagnostics,
                                reason: this.reason }).catch(() => {});
      // On screen: after the next frame is painted.
      await new Promise((resolve) => this.win.requestAnimationFrame(() => setTimeout(resolve, 0)));
      this.latencyMs = performance.now() - started;
      const layer = this.overlay.layers.get(this.key);
      this.checks += 1;
      if (layer) {
        layer.dataset.checks = String(this.checks);
        layer.dataset.latencyMs = this.latencyMs.toFixed(1);
        layer.dataset.serviceMs = answer.ms === undefined ? "" : answer.ms.toFixed(1); // the worker's fetch
      }
      return answer;
    }

    atOrAbove(level) {
      return this.diagnostics.filter((d) => atOrAbove(d.severity, level));
    }

    // Marks before an edit stay, marks after it move with it, marks it touched wait for the next answer.
    followEdit(newText) {
      const old = this.text;
      const max = Math.min(old.length, newText.length);
      let prefix = 0;
      while (prefix < max && old[prefix] === newText[prefix]) prefix++;
      let suffix = 0;
      while (suffix < max - prefix && old[old.length - 1 - suffix] === newText[newText.length - 1 - suffix]) suffix++;
      const editEnd = old.length - suffix;
      const delta = newText.length - old.length;
      const shift = (x) => ({ ...x, s: x.s + delta, e: x.e + delta });
      this.diagnostics = this.diagnostics.flatMap((d) => {
        if (d.e <= prefix) return [d];
        if (d.s >= editEnd) return [{ ...shift(d), fix: d.fix && shift(d.fix) }];
        return [];
      });
      this.text = newText;
      if (this.pinned !== null && !this.diagnostics[this.pinned]) this.pinned = null;
    }

    // ---- drawing ---------------------------------------------------------------------------------
    render() {
      if (!this.root.isConnected) return;
      const snap = this.read();
      if (this.mirror) this.mirror.sync();
      const items = this.diagnostics.map((d, index) => ({
        index, severity: d.severity, code: d.code, text: d.text, active: index === this.pinned,
        rects: d.e <= snap.text.length ? this.rectsOf(snap, d.s, d.e) : [],
      }));
      this.rects = items;
      const n = this.diagnostics.length;
      const chip = this.state === "skipped" ? { className: "skipped", text: "off", title: `empathylint: check skipped: ${this.reason}` }
        : this.state === "checking" ? { className: "", text: "…", title: "empathylint: checking" }
        : n ? { className: `sev-${severityOf(this.diagnostics)}`, text: String(n), title: `empathylint: ${n} finding${n === 1 ? "" : "s"}` }
        : this.state === "ok" ? { className: "", text: "✓", title: "empathylint: nothing to change" } : null;
      const layer = this.overlay.draw(this.key, items, this.visibleBox(), chip);
      Object.assign(layer.dataset, { state: this.state, count: String(n), preset: this.preset.id, reason: this.reason });
      if (this.shown !== null) {
        if (this.diagnostics[this.shown]) this.showPopover(this.shown);
        else this.hidePopover(true);
      }
    }

    redrawSoon() {
      if (this.frame) return;
      this.frame = this.win.requestAnimationFrame(() => { this.frame = 0; this.render(); });
    }

    // ---- explaining ------------------------------------------------------------------------------
    // The finding under the pointer; where several overlap (a phrase inside a flagged sentence), the
    // narrowest, which is the one the agent is pointing at.
    indexAt(x, y) {
      let best = null;
      for (const item of this.rects ?? []) {
        const hit = item.rects.some((r) => x >= r.left && x <= r.right && y >= r.top - 2 && y <= r.bottom + 2);
        const d = this.diagnostics[item.index];
        if (hit && (best === null || d.e - d.s < this.diagnostics[best].e - this.diagnostics[best].s)) best = item.index;
      }
      return best;
    }

    showPopover(index) {
      clearTimeout(this.hideTimer);
      const d = this.diagnostics[index];
      const rect = this.rects?.[index]?.rects[0];
      if (!d || !rect) return;
      this.shown = index;
      const { overlay, dx, dy } = this.popoverPlace();
      const anchor = { left: rect.left + dx, top: rect.top + dy, bottom: rect.bottom + dy };
      const popover = overlay.showPopover(anchor, d, fixLabel(d), () => this.applyFix(index));
      popover.addEventListener("mouseenter", () => clearTimeout(this.hideTimer));
      popover.addEventListener("mouseleave", () => { if (this.pinned === null) this.hidePopover(); });
    }

    // An editor in an iframe has its explanation drawn in the page around it (the frame is often too
    // small to hold it), at the frame's offset; only frames the page can reach count.
    popoverPlace() {
      let [win, dx, dy] = [this.win, 0, 0];
      while (win.frameElement) {
        const frame = win.frameElement;
        const box = frame.getBoundingClientRect();
        dx += box.left + frame.clientLeft;
        dy += box.top + frame.clientTop;
        win = frame.ownerDocument.defaultView;
      }
      return { overlay: overlayFor(win.document), dx, dy };
    }

    hidePopover(now = false) {
      clearTimeout(this.hideTimer);
      const hide = () => { this.shown = null; this.popoverPlace().overlay.hidePopover(); };
      if (now) hide();
      else this.hideTimer = setTimeout(hide, HIDE_DELAY_MS);
    }

    // From the keyboard: the caret moved into a flagged span shows its explanation, as the pointer would.
    explainAtCaret() {
      const caret = this.caret();
      let best = null;
      this.diagnostics.forEach((d, i) => {
        if (caret !== null && d.s <= caret && caret <= d.e && (best === null || d.e - d.s < this.diagnostics[best].e - this.diagnostics[best].s)) best = i;
      });
      if (best === null) { if (this.pinned === null) this.hidePopover(true); }
      else if (this.shown !== best) this.showPopover(best);
    }

    pin(index) {
      this.pinned = index;
      this.render();
      if (index === null) this.hidePopover(true);
      else this.showPopover(index);
    }

    // ---- fixing ----------------------------------------------------------------------------------
    applyFix(index) {
      const d = this.diagnostics[index];
      const snap = this.read();
      if (!d?.fix?.safe || snap.text.slice(d.s, d.e) !== d.text) return false;
      const edit = plannedEdit(snap.text, d.fix.s, d.fix.e, d.fix.replacement);
      const caret = this.caret();
      this.pin(null);
      this.replace(snap, edit);
      if (caret !== null) {
        const delta = edit.replacement.length - (edit.end - edit.start);
        const at = caret >= edit.end ? caret + delta : caret > edit.start ? edit.start + edit.replacement.length : caret;
        this.placeCaret(at);
      }
      return true;
    }

    // The editor makes the edit itself (so it lands on its own undo stack and its own input handling);
    // only if it refuses is the text changed directly, with an input event for the page's scripts.
    replace(snap, { start, end, replacement }) {
      const command = () => (replacement ? this.doc.execCommand("insertText", false, replacement)
                                         : this.doc.execCommand("delete", false));
      const before = snap.text;
      this.root.focus({ preventScroll: true });
      if (this.isTextarea) {
        this.root.setSelectionRange(start, end);
        if (!command() || this.root.value === before) {
          this.root.setRangeText(replacement, start, end, "end");
          this.root.dispatchEvent(new InputEvent("input", { bubbles: true, inputType: "insertReplacementText" }));
        }
        return;
      }
      const range = rangeOf(snap, start, end);
      if (!range) return;
      const selection = this.doc.getSelection();
      selection.removeAllRanges();
      selection.addRange(range);
      if (!command() || this.read().text === before) {
        range.deleteContents();
        if (replacement) range.insertNode(this.doc.createTextNode(replacement));
        this.root.dispatchEvent(new InputEvent("input", { bubbles: true, inputType: "insertReplacementText" }));
      }
    }

    placeCaret(offset) {
      if (this.isTextarea) {
        this.root.setSelectionRange(offset, offset);
        return;
      }
      const range = rangeOf(this.read(), offset, offset);
      if (!range) return;
      range.collapse(true);
      const selection = this.doc.getSelection();
      selection.removeAllRanges();
      selection.addRange(range);
    }

    // ---- wiring ----------------------------------------------------------------------------------
    listen() {
      const on = (target, type, fn, options) => target.addEventListener(type, fn, options);
      on(this.root, "input", () => {
        this.followEdit(this.read().text);
        this.render();
        this.schedule();
      });
      on(this.root, "mousemove", (ev) => {
        if (this.pinned !== null) return;
        const index = this.indexAt(ev.clientX, ev.clientY);
        if (index === null) { if (this.shown !== null) this.hidePopover(); }
        else if (this.shown !== index) this.showPopover(index);
        else clearTimeout(this.hideTimer);
      });
      on(this.root, "mouseleave", () => { if (this.pinned === null) this.hidePopover(); });
      on(this.root, "click", (ev) => this.pin(this.indexAt(ev.clientX, ev.clientY)));
      on(this.root, "keyup", (ev) => {
        if (ev.key === "Escape") this.pin(null);
        else if (/^(Arrow|Home|End|Page)/.test(ev.key)) this.explainAtCaret();
      });
      on(this.root, "scroll", () => this.redrawSoon());
      on(this.win, "scroll", () => this.redrawSoon(), { capture: true, passive: true });
      on(this.win, "resize", () => this.redrawSoon());
    }

    get alive() {
      return this.root.isConnected;
    }

    dispose() {
      clearTimeout(this.timer);
      this.mirror?.remove();
      this.overlay.removeLayer(this.key);
      if (this.shown !== null) this.popoverPlace().overlay.hidePopover();
    }
  }

  globalThis.empathylintEditor = Object.freeze({ Editor, plannedEdit, severityOf });
})();
