// The extension's only door to the network: lints a draft through the empathylint service on this
// computer (POST <serviceUrl>/v1/lint with the bearer token), keeps each tab's badge, and starts the
// content scripts on a page the agent picks from the toolbar. Drafts and customer messages go to the
// loopback service and nowhere else; an answer that does not come in time is reported as skipped, never
// waited for, so a slow or stopped service cannot hold up a reply.
"use strict";

if (typeof globalThis.empathylintSettings === "undefined") importScripts("settings.js"); // Chromium's worker

(() => {
  const { api, loopbackUrl, atOrAbove, load } = globalThis.empathylintSettings;
  const CONTENT_SCRIPTS = api.runtime.getManifest().content_scripts[0].js;
  const BADGE_COLOURS = { error: "#b3261e", warning: "#b26a00", info: "#3b6ea8", skipped: "#6b6b6b" };
  let settings = null;
  let presets = null;

  api.storage.onChanged.addListener((changes, area) => {
    if (area === "local") settings = null;
  });

  async function currentSettings() {
    if (settings === null) settings = await load();
    return settings;
  }

  async function currentPresets() {
    if (presets === null) presets = (await (await fetch(api.runtime.getURL("presets.json"))).json()).presets;
    return presets;
  }

  function skipped(reason) {
    return { status: "skipped", reason };
  }

  // The fields the content script draws from; the rest of the document (paths, line numbers, the
  // customer's situation) stays here.
  function slim(d) {
    return { code: d.code, name: d.name, severity: d.severity, message: d.message, reason: d.reason,
             suggestions: d.suggestions, start: d.start, end: d.end, text: d.text, fix: d.fix };
  }

  async function lint({ text, customer, timeoutMs }) {
    const { serviceUrl, token } = await currentSettings();
    const base = loopbackUrl(serviceUrl);
    if (base === null) return skipped(`the service address ${serviceUrl} is not on this computer (options)`);
    const headers = { "Content-Type": "application/json" };
    if (token) headers.Authorization = `Bearer ${token}`;
    const body = { text };
    if (customer) body.customer = customer;
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), timeoutMs);
    const started = performance.now();
    try {
      const response = await fetch(`${base}/v1/lint`, {
        method: "POST", headers, body: JSON.stringify(body), signal: controller.signal,
        credentials: "omit", cache: "no-store", referrerPolicy: "no-referrer", redirect: "error",
      });
      const data = await response.json().catch(() => ({}));
      if (response.status === 401) return skipped("the service wants a token: set it in the extension's options");
      if (!response.ok) return skipped(typeof data.detail === "string" ? data.detail : `the service answered ${response.status}`);
      const result = data.results?.[0] ?? { diagnostics: [] };
      return { status: "ok", diagnostics: result.diagnostics.map(slim), ms: performance.now() - started };
    } catch (err) {
      if (err.name === "AbortError") return skipped(`the service did not answer within ${timeoutMs / 1000} s`);
      return skipped(`the service at ${base} cannot be reached (is \`empathylint serve\` running?)`);
    } finally {
      clearTimeout(timer);
    }
  }

  async function badge(tabId, { state, diagnostics = [], reason = "" }) {
    if (tabId === undefined) return;
    const { failLevel } = await currentSettings();
    let text = "";
    let colour = BADGE_COLOURS.info;
    let title = "empathylint";
    if (state === "skipped") {
      [text, colour, title] = ["off", BADGE_COLOURS.skipped, `empathylint: check skipped: ${reason}`];
    } else if (state === "ok") {
      const worst = ["error", "warning", "info"].find((s) => diagnostics.some((d) => d.severity === s));
      const counted = diagnostics.filter((d) => atOrAbove(d.severity, "info")).length;
      text = counted ? String(counted) : "";
      colour = BADGE_COLOURS[worst] ?? BADGE_COLOURS.info;
      const blocking = diagnostics.filter((d) => atOrAbove(d.severity, failLevel)).length;
      title = counted ? `empathylint: ${counted} finding${counted === 1 ? "" : "s"} (${blocking} at ${failLevel} or above)`
                      : "empathylint: nothing to change";
    }
    await Promise.all([api.action.setBadgeText({ tabId, text }),
                       api.action.setBadgeBackgroundColor({ tabId, color: colour }),
                       api.action.setTitle({ tabId, title })]);
  }

  // The toolbar button: on a page no preset matches, the agent starts the generic editor finder there
  // (activeTab grants this tab, this once, without a standing permission for every site).
  async function start(tabId) {
    await api.scripting.executeScript({ target: { tabId }, files: CONTENT_SCRIPTS });
  }

  api.action.onClicked.addListener((tab) => { start(tab.id).catch(() => {}); });

  api.runtime.onMessage.addListener((message, sender, reply) => {
    if (sender.id !== api.runtime.id) return false;
    const tabId = sender.tab?.id;
    const ownPage = sender.url?.startsWith(api.runtime.getURL("")); // the options page, not a content script
    let answer;
    if (message.type === "init") {
      answer = Promise.all([currentSettings(), currentPresets()]).then(([s, p]) => ({
        settings: { failLevel: s.failLevel, sites: s.sites }, presets: p,
      }));
    } else if (message.type === "lint") {
      answer = lint(message);
    } else if (message.type === "badge") {
      answer = badge(tabId, message).then(() => ({}));
    } else if (message.type === "badge-text" && ownPage) { // the options page (and tests) reading a badge
      answer = api.action.getBadgeText({ tabId: message.tabId }).then((text) => ({ text }));
    } else if (message.type === "start" && ownPage) { // what the toolbar button does, asked by a page of ours
      answer = start(message.tabId).then(() => ({ ok: true }), (err) => ({ ok: false, error: String(err) }));
    } else {
      return false;
    }
    answer.then(reply, (err) => reply({ status: "skipped", reason: String(err) }));
    return true;
  });

})();
