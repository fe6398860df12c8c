// Pre-send: when the agent clicks Send (or presses its shortcut) and the draft has findings at or above
// the configured level, the click is held and the agent asked to review or send anyway. A draft changed
// since its last check is checked first, for at most SEND_TIMEOUT_MS; a service that is stopped, refuses or
// does not answer in time never holds the reply: it goes out, and a note says the check was skipped.
"use strict";

(() => {
  if (globalThis.empathylintSendGuard) return;
  const SEND_TIMEOUT_MS = 1500;
  const PRESS = ["pointerdown", "mousedown", "pointerup", "mouseup", "click"];

  // "mod+Enter" -> {mod, alt, shift, key}; a last part like "KeyS" or "Digit1" names the physical key.
  function parseShortcut(text) {
    const parts = text.split("+");
    const last = parts.pop();
    const mods = new Set(parts.map((p) => p.toLowerCase()));
    return { mod: mods.has("mod"), alt: mods.has("alt"), shift: mods.has("shift"),
             key: /^(Key|Digit)/.test(last) ? null : last, code: /^(Key|Digit)/.test(last) ? last : null };
  }

  function matchesShortcut(ev, s) {
    return (ev.ctrlKey || ev.metaKey) === s.mod && ev.altKey === s.alt && ev.shiftKey === s.shift
      && (s.code ? ev.code === s.code : ev.key === s.key);
  }

  class SendGuard {
    // `page`: {active(): bool, editorFor(target): Editor|null, buttons(): selector, shortcuts(): [parsed],
    //          failLevel(): string, overlay(): Overlay (the top document's)}
    constructor(page) {
      this.page = page;
      this.replaying = false;
      this.swallowing = 0; // until: the rest of a held press is not let through either
      this.hooked = new WeakSet();
    }

    hook(win) {
      if (this.hooked.has(win)) return;
      this.hooked.add(win);
      for (const type of PRESS) win.addEventListener(type, (ev) => this.onPress(ev), true);
      win.addEventListener("keydown", (ev) => this.onKey(ev), true);
    }

    block(ev) {
      ev.preventDefault();
      ev.stopImmediatePropagation();
    }

    onPress(ev) {
      if (this.replaying || !this.page.active()) return;
      if (this.swallowing && performance.now() < this.swallowing) {
        this.block(ev);
        if (ev.type === "click") this.swallowing = 0;
        return;
      }
      if (ev.type !== "click" && ev.button !== 0) return;
      const button = ev.target?.closest?.(this.page.buttons());
      if (!button) return;
      const editor = this.page.editorFor(button);
      if (!this.mustHold(editor)) return;
      this.block(ev);
      if (ev.type !== "click") this.swallowing = performance.now() + 5000;
      this.decide(editor, () => this.replayClick(button));
    }

    onKey(ev) {
      if (this.replaying || !this.page.active() || ev.repeat) return;
      if (!this.page.shortcuts().some((s) => matchesShortcut(ev, s))) return;
      const editor = this.page.editorFor(ev.target);
      if (!editor || !editor.root.contains(ev.target) && ev.target !== editor.root) return;
      if (!this.mustHold(editor)) return;
      this.block(ev);
      const { key, code, ctrlKey, metaKey, altKey, shiftKey } = ev;
      const target = ev.target;
      this.decide(editor, () => this.replay(() => target.dispatchEvent(new KeyboardEvent("keydown", {
        key, code, ctrlKey, metaKey, altKey, shiftKey, bubbles: true, cancelable: true, composed: true }))));
    }

    // Let it through now, unless there is something to ask about or the draft was not checked as it is.
    mustHold(editor) {
      if (!editor || !editor.alive || !editor.read().text.trim()) return false;
      if (!editor.fresh()) return true;
      if (editor.state === "skipped") {
        this.skippedNote(editor.reason);
        return false;
      }
      return editor.atOrAbove(this.page.failLevel()).length > 0;
    }

    async decide(editor, send) {
      if (!editor.fresh()) {
        const answer = await editor.lint(SEND_TIMEOUT_MS);
        if (answer.status !== "ok") {
          this.skippedNote(answer.reason);
          send();
          return;
        }
      }
      const level = this.page.failLevel();
      const found = editor.atOrAbove(level);
      if (!found.length) {
        send();
        return;
      }
      const title = `empathylint: ${found.length} finding${found.length === 1 ? "" : "s"} at ${level} or above in this reply`;
      const lines = found.slice(0, 4).map((d) => `“${d.text.length > 60 ? `${d.text.slice(0, 57)}…` : d.text}”: ${d.message}`);
      if (found.length > 4) lines.push(`and ${found.length - 4} more`);
      const choice = await this.page.overlay().ask(title, lines);
      if (choice === "send") {
        send();
      } else {
        editor.root.focus({ preventScroll: false });
        editor.pin(editor.diagnostics.indexOf(found[0]));
      }
    }

    skippedNote(reason) {
      this.page.overlay().toast(`empathylint: check skipped, sent without it: ${reason}`);
    }

    replay(dispatch) {
      this.replaying = true;
      try {
        dispatch();
      } finally {
        this.replaying = false;
      }
    }

    // A whole press, as the site's own handlers may listen for any part of it.
    replayClick(button) {
      const view = button.ownerDocument.defaultView;
      const init = { bubbles: true, cancelable: true, composed: true, view, button: 0, buttons: 1 };
      this.replay(() => {
        button.dispatchEvent(new PointerEvent("pointerdown", init));
        button.dispatchEvent(new MouseEvent("mousedown", init));
        button.dispatchEvent(new PointerEvent("pointerup", { ...init, buttons: 0 }));
        button.dispatchEvent(new MouseEvent("mouseup", { ...init, buttons: 0 }));
        button.dispatchEvent(new MouseEvent("click", { ...init, buttons: 0 }));
      });
    }
  }

  globalThis.empathylintSendGuard = Object.freeze({ SendGuard, parseShortcut, matchesShortcut });
})();
