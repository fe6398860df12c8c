// What every fixture page does as its helpdesk would: its Send button and Ctrl/Cmd+Enter "send" the
// draft, recorded in window.sent (in the top page) for the test to read.
"use strict";
(() => {
  const top = window.top;
  top.sent = top.sent || [];
  const draft = () => {
    const page = top.document;
    const frame = page.querySelector("iframe[data-editor-frame]");
    const doc = frame ? frame.contentDocument : page;
    const el = doc.querySelector("[data-draft]");
    return el.tagName === "TEXTAREA" ? el.value : el.innerText;
  };
  const on = document.body.dataset.sendOn || "click";
  document.addEventListener(on, (ev) => {
    const button = ev.target.closest && ev.target.closest("[data-send]");
    if (button) top.sent.push({ how: on, text: draft() });
  });
  document.addEventListener("keydown", (ev) => {
    if ((ev.ctrlKey || ev.metaKey) && ev.key === "Enter") top.sent.push({ how: "key", text: draft() });
  });
  document.addEventListener("submit", (ev) => {
    ev.preventDefault();
    top.sent.push({ how: "submit", text: draft() });
  });
})();
