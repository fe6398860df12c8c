// What the extension remembers and how it reads it: shared by the service worker, the options page and
// the content scripts (each loads this file first). Plain script, no modules: content scripts cannot
// import, and Firefox's background scripts and Chromium's service worker both run it as it is.
"use strict";

(() => {
  const api = globalThis.browser ?? globalThis.chrome;

  const SEVERITIES = ["info", "warning", "error"];

  const DEFAULTS = Object.freeze({
    serviceUrl: "http://127.0.0.1:8750",
    token: "",
    failLevel: "warning", // Send asks first when the draft has a finding at or above this
    sites: {},            // preset id -> false when switched off (every site is on until then)
  });

  // The service must be this computer's: drafts and customer messages never leave it. The manifest's
  // host permissions name the same three hosts, so the browser would refuse any other address anyway.
  const LOOPBACK_HOSTS = new Set(["127.0.0.1", "localhost", "[::1]"]);

  function loopbackUrl(value) {
    let url;
    try {
      url = new URL(value);
    } catch {
      return null;
    }
    if (url.protocol !== "http:" && url.protocol !== "https:") return null;
    if (!LOOPBACK_HOSTS.has(url.hostname)) return null;
    if (url.username || url.password || url.search || url.hash) return null;
    return url.origin + url.pathname.replace(/\/+$/, "");
  }

  function atOrAbove(severity, level) {
    return SEVERITIES.indexOf(severity) >= SEVERITIES.indexOf(level);
  }

  async function load() {
    const stored = await api.storage.local.get(Object.keys(DEFAULTS));
    return { ...DEFAULTS, ...stored, sites: { ...(stored.sites || {}) } };
  }

  function siteEnabled(settings, presetId) {
    return settings.sites[presetId] !== false;
  }

  globalThis.empathylintSettings = Object.freeze({ api, SEVERITIES, DEFAULTS, loopbackUrl, atOrAbove, load,
                                                   siteEnabled });
})();
