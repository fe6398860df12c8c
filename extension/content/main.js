// The content script's start: picks the site's preset (presets.json, through the service worker), finds
// the reply editor the agent is in (also inside the page's same-origin iframes), keeps one Editor per
// editor and one SendGuard per page. The guard listens from document_start so that it sees a Send click
// before the site's own handlers do.
"use strict";

(() => {
  if (globalThis.empathylintPage) {
    globalThis.empathylintPage.rescan(); // started again from the toolbar button
    return;
  }
  const { api, siteEnabled } = globalThis.empathylintSettings;
  const { Editor } = globalThis.empathylintEditor;
  const { overlayFor } = globalThis.empathylintOverlay;
  const { SendGuard, parseShortcut } = globalThis.empathylintSendGuard;

  const editors = new Map(); // editor root element -> Editor
  const hooked = new WeakSet();
  let preset = null;
  let settings = null;
  let shortcuts = [];
  let lastActive = null;

  // A match pattern (https://*.zendesk.com/agent/*) as a regular expression over a URL.
  function patternRegExp(pattern) {
    const [, scheme, host, path] = /^(\*|https?):\/\/([^/]+)(\/.*)$/.exec(pattern);
    const esc = (s) => s.replace(/[.+?^${}()|[\]\\]/g, "\\$&");
    const hostPart = host === "*" ? "[^/]+" : host.startsWith("*.") ? `([^/]+\\.)?${esc(host.slice(2))}` : esc(host);
    return new RegExp(`^${scheme === "*" ? "https?" : scheme}://${hostPart}(:\\d+)?${esc(path).replace(/\*/g, ".*")}$`);
  }

  function pickPreset(presets, href) {
    const url = href.split("#")[0];
    return presets.find((p) => p.matches.some((m) => patternRegExp(m).test(url)))
      ?? presets.find((p) => !p.matches.length);
  }

  function editorRoot(element) {
    if (!preset || !element || element.nodeType !== 1) return null;
    const found = element.closest(preset.editors.join(","));
    if (!found) return null;
    if (found.tagName === "TEXTAREA") return found.readOnly || found.disabled ? null : found;
    if (!found.isContentEditable) return null;
    let root = found;
    while (root.parentElement?.isContentEditable) root = root.parentElement;
    return root;
  }

  function customerMessage() {
    for (const selector of preset.customer) {
      const found = document.querySelectorAll(selector);
      const last = found[found.length - 1];
      const text = last?.innerText?.trim();
      if (text) return text;
    }
    return null;
  }

  function attach(element) {
    const root = editorRoot(element);
    if (!root) return null;
    for (const [r, e] of editors) {
      if (!e.alive) {
        e.dispose();
        editors.delete(r);
      }
    }
    let editor = editors.get(root);
    if (!editor) {
      editor = new Editor(root, preset, { customer: customerMessage, exclude: preset.exclude.join(",") });
      editors.set(root, editor);
    }
    lastActive = editor;
    return editor;
  }

  function hookDocument(doc) {
    if (hooked.has(doc)) return;
    hooked.add(doc);
    doc.addEventListener("focusin", (ev) => {
      if (ev.target.tagName === "IFRAME") hookFrame(ev.target);
      else attach(ev.target);
    }, true);
    doc.addEventListener("input", (ev) => attach(ev.target), true);
    if (doc !== document) guard.hook(doc.defaultView);
    const active = doc.activeElement;
    if (active?.tagName === "IFRAME") hookFrame(active);
    else attach(active);
  }

  // Same-origin frames only (an editor in an about:blank or same-site iframe); others are not readable.
  function hookFrame(iframe) {
    try {
      iframe.addEventListener("load", () => hookFrame(iframe), { once: true });
      const doc = iframe.contentDocument;
      if (doc) hookDocument(doc);
    } catch {
      // a cross-origin frame
    }
  }

  function frameHolding(editor) {
    const win = editor.win;
    return win === window ? null : win.frameElement;
  }

  // The editor a Send button or key press belongs to: the one it is in, else the one in the same reply
  // container, else the one the agent used last.
  function editorFor(target) {
    const live = [...editors.values()].filter((e) => e.alive);
    const inside = live.find((e) => e.root === target || e.root.contains(target));
    if (inside) return inside;
    const container = preset.container ? target.closest?.(preset.container) : null;
    if (container) {
      const found = live.find((e) => container.contains(frameHolding(e) ?? e.root));
      if (found) return found;
    }
    return lastActive?.alive ? lastActive : null;
  }

  const guard = new SendGuard({
    active: () => preset !== null,
    editorFor,
    buttons: () => preset.send.buttons.join(","),
    shortcuts: () => shortcuts,
    failLevel: () => settings.failLevel,
    overlay: () => overlayFor(document),
  });
  guard.hook(window);

  // Focus moving into an iframe fires no focusin on the page: the page's window loses focus instead.
  window.addEventListener("blur", () => setTimeout(() => {
    if (preset && document.activeElement?.tagName === "IFRAME") hookFrame(document.activeElement);
  }, 0));

  function rescan() {
    if (!preset) return;
    hookDocument(document);
    for (const iframe of document.querySelectorAll("iframe")) hookFrame(iframe);
    const active = document.activeElement;
    if (active?.tagName === "IFRAME") hookFrame(active);
    else attach(active);
  }

  globalThis.empathylintPage = Object.freeze({ rescan });

  api.runtime.sendMessage({ type: "init" }).then((answer) => {
    const chosen = pickPreset(answer.presets, location.href);
    if (!chosen || !siteEnabled(answer.settings, chosen.id)) return;
    settings = answer.settings;
    shortcuts = chosen.send.shortcuts.map(parseShortcut);
    preset = chosen;
    if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", rescan, { once: true });
    else rescan();
  }).catch(() => {});

  api.storage.onChanged.addListener((changes, area) => {
    if (area === "local" && changes.failLevel && settings) settings = { ...settings, failLevel: changes.failLevel.newValue };
  });
})();
