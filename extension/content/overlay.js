// What the extension draws on a page, all of it in one shadow root hung from the document's root element
// and never inside the editor: the underlines (boxes placed over the flagged characters, which let the
// pointer through to the editor below), the explanation popover, the status chip by each editor, the
// pre-send question and the "check skipped" note. One Overlay per document (an editor in an iframe gets
// one in its own document, so its boxes share its coordinates and its clipping).
"use strict";

(() => {
  if (globalThis.empathylintOverlay) return;

  const STYLE = `
    :host { all: initial; position: fixed; left: 0; top: 0; width: 0; height: 0; overflow: visible;
            z-index: 2147483647; pointer-events: none; }
    .layer { position: fixed; left: 0; top: 0; width: 100vw; height: 100vh; pointer-events: none; }
    .underline { position: fixed; height: 0; border-bottom: 2px solid; pointer-events: none; }
    .underline.sev-error { border-color: #b3261e; }
    .underline.sev-warning { border-color: #c77700; }
    .underline.sev-info { border-bottom-style: dotted; border-color: #3b6ea8; }
    .underline.active { background: rgba(199, 119, 0, .16); }
    .mirror { position: fixed; visibility: hidden; overflow: hidden; pointer-events: none; margin: 0;
              color: transparent; }
    .chip, .popover, .dialog, .toast { font: 13px/1.4 system-ui, sans-serif; color: #1d1d1f; }
    .chip { position: fixed; padding: 0 6px; border-radius: 9px; font-size: 11px; line-height: 18px;
            background: #eee; color: #333; opacity: .9; }
    .chip.sev-error { background: #b3261e; color: #fff; } .chip.sev-warning { background: #c77700; color: #fff; }
    .chip.sev-info { background: #3b6ea8; color: #fff; } .chip.skipped { background: #777; color: #fff; }
    .popover { position: fixed; max-width: 380px; padding: 10px 12px; background: #fff; border: 1px solid #ccc;
               border-radius: 6px; box-shadow: 0 4px 16px rgba(0,0,0,.18); pointer-events: auto;
               max-height: calc(100vh - 16px); overflow: auto; box-sizing: border-box; }
    .popover h3 { margin: 0 0 4px; font-size: 13px; } .popover .code { color: #666; font-size: 11px; }
    .popover p { margin: 4px 0; } .popover ul { margin: 4px 0; padding-left: 18px; }
    button { font: inherit; cursor: pointer; border: 1px solid #888; border-radius: 4px; background: #f4f4f4;
             padding: 2px 8px; margin: 4px 6px 0 0; }
    button.primary { background: #1d5fbf; border-color: #1d5fbf; color: #fff; }
    .dialog { position: fixed; left: 50%; top: 20%; transform: translateX(-50%); width: min(460px, 90vw);
              padding: 14px 16px; background: #fff; border: 1px solid #bbb; border-radius: 8px;
              box-shadow: 0 8px 32px rgba(0,0,0,.25); pointer-events: auto; }
    .dialog h2 { margin: 0 0 6px; font-size: 15px; } .dialog ul { margin: 6px 0; padding-left: 18px; }
    .toast { position: fixed; right: 16px; bottom: 16px; max-width: 380px; padding: 8px 12px; background: #333;
             color: #fff; border-radius: 6px; pointer-events: auto; }
  `;

  function el(doc, tag, props = {}, children = []) {
    const node = doc.createElement(tag);
    Object.assign(node, props);
    node.append(...children);
    return node;
  }

  class Overlay {
    constructor(doc) {
      this.doc = doc;
      this.host = doc.createElement("empathylint-overlay");
      this.root = this.host.attachShadow({ mode: "open" });
      this.root.append(el(doc, "style", { textContent: STYLE }));
      this.layers = new Map();
      this.popover = null;
      this.toastTimer = null;
      this.attach();
    }

    attach() {
      if (!this.host.isConnected) (this.doc.documentElement || this.doc).append(this.host);
    }

    // One layer per editor: its underlines and chip, clipped to the editor's visible box.
    layer(key) {
      let layer = this.layers.get(key);
      if (!layer) {
        layer = el(this.doc, "div", { className: "layer" });
        layer.dataset.editor = key;
        this.root.append(layer);
        this.layers.set(key, layer);
      }
      this.attach();
      return layer;
    }

    removeLayer(key) {
      this.layers.get(key)?.remove();
      this.layers.delete(key);
    }

    // `items`: [{index, severity, active, text, rects}]; `clip`: the editor's visible box.
    draw(key, items, clip, chip) {
      const layer = this.layer(key);
      const parts = [];
      for (const item of items) {
        for (const r of item.rects) {
          const left = Math.max(r.left, clip.left);
          const right = Math.min(r.right, clip.right);
          const bottom = r.bottom;
          if (right <= left || bottom < clip.top || bottom > clip.bottom + 2) continue;
          const line = el(this.doc, "div", { className: `underline sev-${item.severity}${item.active ? " active" : ""}` });
          line.dataset.index = item.index;
          line.dataset.code = item.code;
          line.dataset.text = item.text;
          Object.assign(line.style, { left: `${left}px`, width: `${right - left}px`, top: `${r.top}px`,
                                      height: `${Math.max(0, bottom - r.top - 2)}px` });
          parts.push(line);
        }
      }
      if (chip) {
        const node = el(this.doc, "div", { className: `chip ${chip.className}`, textContent: chip.text, title: chip.title });
        Object.assign(node.style, { left: `${Math.max(0, clip.right - 28)}px`, top: `${Math.max(0, clip.bottom - 22)}px` });
        parts.push(node);
      }
      layer.replaceChildren(...parts);
      return layer;
    }

    showPopover(anchor, d, fixLabel, onFix) {
      const doc = this.doc;
      const parts = [el(doc, "div", { className: "code", textContent: `${d.code} ${d.name} · ${d.severity}` }),
                     el(doc, "h3", { textContent: d.message }),
                     el(doc, "p", { className: "why", textContent: d.reason || "" })];
      if (d.suggestions?.length) {
        parts.push(el(doc, "p", { textContent: "Better wording:" }),
                   el(doc, "ul", {}, d.suggestions.map((s) => el(doc, "li", { textContent: s }))));
      }
      if (fixLabel) {
        const button = el(doc, "button", { type: "button", className: "apply primary", textContent: fixLabel });
        // The editor keeps its focus and selection: a mousedown here would take them.
        button.addEventListener("mousedown", (ev) => ev.preventDefault());
        button.addEventListener("click", (ev) => { ev.preventDefault(); onFix(); });
        parts.push(button);
      }
      this.hidePopover();
      const popover = el(doc, "div", { className: "popover" }, parts);
      popover.setAttribute("role", "tooltip");
      popover.dataset.code = d.code;
      this.root.append(popover);
      const view = doc.documentElement.clientWidth || doc.defaultView.innerWidth;
      const width = Math.min(380, view - 16);
      const height = doc.defaultView.innerHeight;
      popover.style.left = `${Math.max(8, Math.min(anchor.left, view - width - 8))}px`;
      popover.style.top = `${anchor.bottom + 6}px`;
      const tall = popover.getBoundingClientRect().height;
      if (anchor.bottom + 6 + tall > height && anchor.top - 6 - tall >= 0) popover.style.top = `${anchor.top - 6 - tall}px`;
      this.popover = popover;
      return popover;
    }

    hidePopover() {
      this.popover?.remove();
      this.popover = null;
    }

    // The pre-send question: resolves "review" or "send".
    ask(title, lines) {
      const doc = this.doc;
      this.root.querySelector(".dialog")?.remove();
      return new Promise((resolve) => {
        const review = el(doc, "button", { type: "button", className: "review primary", textContent: "Review" });
        const send = el(doc, "button", { type: "button", className: "send-anyway", textContent: "Send anyway" });
        const dialog = el(doc, "div", { className: "dialog" }, [
          el(doc, "h2", { textContent: title }),
          el(doc, "ul", {}, lines.map((t) => el(doc, "li", { textContent: t }))), review, send]);
        dialog.setAttribute("role", "alertdialog");
        dialog.setAttribute("aria-label", title);
        const done = (answer) => { dialog.remove(); resolve(answer); };
        review.addEventListener("click", () => done("review"));
        send.addEventListener("click", () => done("send"));
        dialog.addEventListener("keydown", (ev) => { if (ev.key === "Escape") done("review"); });
        this.attach();
        this.root.append(dialog);
        review.focus();
      });
    }

    toast(message, ms = 6000) {
      this.root.querySelector(".toast")?.remove();
      clearTimeout(this.toastTimer);
      const node = el(this.doc, "div", { className: "toast", textContent: message });
      node.setAttribute("role", "status");
      this.attach();
      this.root.append(node);
      this.toastTimer = setTimeout(() => node.remove(), ms);
    }
  }

  const overlays = new WeakMap();
  function overlayFor(doc) {
    let overlay = overlays.get(doc);
    if (!overlay) {
      overlay = new Overlay(doc);
      overlays.set(doc, overlay);
    }
    return overlay;
  }

  globalThis.empathylintOverlay = Object.freeze({ overlayFor });
})();
