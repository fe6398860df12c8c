// The options page: the service's address (loopback only), its token, the level at which Send asks first,
// and each site on or off. Everything is kept in storage.local, on this computer.
"use strict";

(async () => {
  const { api, loopbackUrl, load } = globalThis.empathylintSettings;
  const $ = (id) => document.getElementById(id);
  const form = $("options");
  const status = $("status");
  const presets = (await (await fetch(api.runtime.getURL("presets.json"))).json()).presets;

  function say(message, isError = false) {
    status.textContent = message;
    status.classList.toggle("error", isError);
  }

  $("origin").textContent = new URL(api.runtime.getURL("")).origin;
  const settings = await load();
  $("serviceUrl").value = settings.serviceUrl;
  $("token").value = settings.token;
  $("failLevel").value = settings.failLevel;
  for (const preset of presets) {
    const box = Object.assign(document.createElement("input"), { type: "checkbox", id: `site-${preset.id}`,
                                                                 checked: settings.sites[preset.id] !== false });
    box.dataset.preset = preset.id;
    const label = Object.assign(document.createElement("label"), { htmlFor: box.id });
    label.append(box, ` ${preset.name}`);
    $("sites").append(label);
  }

  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const serviceUrl = loopbackUrl($("serviceUrl").value.trim());
    if (serviceUrl === null) {
      say("The address must be this computer's: http://127.0.0.1:PORT, http://localhost:PORT or http://[::1]:PORT.", true);
      return;
    }
    const sites = {};
    for (const box of document.querySelectorAll("#sites input")) if (!box.checked) sites[box.dataset.preset] = false;
    await api.storage.local.set({ serviceUrl, token: $("token").value.trim(), failLevel: $("failLevel").value, sites });
    $("serviceUrl").value = serviceUrl;
    say("Saved. Reload the helpdesk's tab for a site switched on or off.");
  });

  $("test").addEventListener("click", async () => {
    say("Asking the service…");
    const answer = await api.runtime.sendMessage({ type: "lint", text: "Thanks for writing in.", timeoutMs: 3000 });
    if (answer.status === "ok") say("The service answered: the extension can check your replies.");
    else say(`No check: ${answer.reason}`, true);
  });
  document.documentElement.dataset.ready = "true"; // the form is filled and wired
})();
