"""Latency of the browser extension: from the end of typing (the debounce has fired) to the underlines on
screen, for a 150-word draft in a helpdesk's reply box, rules only and with the model.

    python benchmarks/extension_latency.py [--runs 60] [--warmup 5] [--presets gmail,zendesk] [--rules-only]

It builds the extension (extension/build.py), starts ``empathylint serve --allow-origin <the extension's
origin> [--no-model]`` as its own process, and headless Chromium with the unpacked extension on the fixture
pages of tests/browser (Gmail's contenteditable editor, Zendesk's textarea; served locally under the real
host names). Each run puts a new draft into the editor (the 150-word reply with a different case number in
its last line, so the result cache never answers the whole request) and waits for the extension to draw.

Two clocks, both in the browser: **drawn** is the extension's own, from the moment its debounce timer
fires (it reads the editor's text, asks its service worker, which posts to the service, then draws the
underlines) to the first task after the next painted frame; **seen by the page** is taken by the page's
own script, from the input event to the overlay saying it has drawn, less the 300 ms debounce (so it also
holds the timer's slack). Target (issue 24): p50 <= 100 ms rules only, <= 150 ms with the model.
Run by hand, not in CI; the first line says the machine.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(ROOT / "tests" / "browser"))

from _common import machine, model_dir, percentile  # noqa: E402
from extension_harness import FixtureSite, build_extension, chromium, extension_id, manifest, page_url  # noqa: E402
from service_latency import start_server, stop  # noqa: E402

DEBOUNCE_MS = 300
TARGETS_MS = {False: 100, True: 150}
DRAFT_150 = (
    "Hi Sam,\n\nThank you for getting in touch about order 48213, and I'm sorry it has not arrived yet. As I "
    "already explained, I checked with the carrier this morning: the parcel was scanned at their Leeds depot on "
    "Monday and has not moved since, which is not the service you paid for. I have asked them to trace it, and I "
    "have also booked a replacement that will leave our warehouse today by express delivery at no cost to you. "
    "Just check your email for the tracking link within the hour. I have refunded the original shipping fee of "
    "4.99 to your card as well; it should show within three working days. I'll keep an eye on both parcels and "
    "write to you on Thursday with an update either way. Thanks again for your patience, and please do not "
    "hesitate to contact us.\n\nBest,\nAlex"
)

# Runs in the page: replace the draft as a paste would, then wait for the overlay to say it has drawn.
TYPE_AND_WAIT_JS = """
const [text, previous, done] = [arguments[0], arguments[1], arguments[arguments.length - 1]];
const editor = document.querySelector('[data-draft]');
editor.focus();
const started = performance.now();
if (editor.tagName === 'TEXTAREA') editor.value = text;
else editor.innerHTML = text.split('\\n').map(l => `<div>${l || '<br>'}</div>`).join('');
editor.dispatchEvent(new InputEvent('input', {bubbles: true, inputType: 'insertFromPaste'}));
const check = () => {
  const host = document.querySelector('empathylint-overlay');
  const layer = host && host.shadowRoot.querySelector('.layer');
  const ms = layer && layer.dataset.latencyMs;
  if (ms && layer.dataset.checks !== previous && layer.dataset.state === 'ok') {
    done({checks: layer.dataset.checks, drawn: Number(ms), service: Number(layer.dataset.serviceMs), seen: performance.now() - started, marks: layer.querySelectorAll('.underline').length,
          codes: [...new Set([...layer.querySelectorAll('.underline')].map(u => u.dataset.code))].sort()});
  } else setTimeout(check, 2);
};
check();
"""


def configure(driver, origin: str, service_url: str) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    driver.get(f"{origin}/options/options.html")
    for _ in range(10):  # just after start the extension may not be installed yet
        try:
            WebDriverWait(driver, 3).until(lambda d: d.execute_script("return document.documentElement.dataset.ready"))
            break
        except Exception:
            driver.get(f"{origin}/options/options.html")
    field = driver.find_element(By.ID, "serviceUrl")
    field.clear()
    field.send_keys(service_url)
    driver.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    WebDriverWait(driver, 20).until(lambda d: "Saved" in d.find_element(By.ID, "status").text)


def measure(driver, preset: str, runs: int, warmup: int) -> tuple[list[float], list[float], dict]:
    driver.get(page_url(preset))
    driver.set_script_timeout(30)
    drawn, seen, service, last, previous = [], [], [], {}, ""
    for i in range(warmup + runs):
        text = DRAFT_150 + f"\nP.S. Your case number is {200_000 + i}."
        last = driver.execute_async_script(TYPE_AND_WAIT_JS, text, previous)
        previous = last["checks"]
        if i >= warmup:
            drawn.append(last["drawn"])
            seen.append(last["seen"] - DEBOUNCE_MS)
            service.append(last["service"])
    return drawn, seen, service, last


def line(ms: list[float]) -> str:
    return f"p50 {percentile(ms, 0.5):.1f} ms, p90 {percentile(ms, 0.9):.1f} ms"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=60)
    parser.add_argument("--warmup", type=int, default=5)
    parser.add_argument("--presets", default="gmail,zendesk", help="fixture pages to type into (comma-separated)")
    parser.add_argument("--rules-only", action="store_true", help="skip the run with the model")
    args = parser.parse_args()
    print(f"machine: {machine()}")
    model, note = model_dir()
    words = len((DRAFT_150 + "\nP.S. Your case number is 200000.").split())
    print(f"model: {note}; draft: {words} words; {args.runs} timed drafts after {args.warmup} warm-up per page; "
          f"debounce {DEBOUNCE_MS} ms (not counted)")
    origin = f"chrome-extension://{extension_id(manifest())}"
    with tempfile.TemporaryDirectory(prefix="empathylint-extension-bench-") as tmp:
        folder = Path(tmp)
        extension = build_extension(folder / "extension")
        with FixtureSite(folder) as port:
            for use_model in (False, True)[:1 if args.rules_only else 2]:
                label = "with the model" if use_model else "rules only"
                process, url, _ = start_server(folder, use_model, model, ("--allow-origin", origin))
                driver = chromium(extension, port)
                try:
                    configure(driver, origin, url)
                    for preset in args.presets.split(","):
                        drawn, seen, service, last = measure(driver, preset, args.runs, args.warmup)
                        print(f"{preset} ({'textarea' if preset == 'zendesk' else 'contenteditable'}), {label}: "
                              f"drawn {line(drawn)} (of which the worker's POST /v1/lint {line(service)}); seen by the "
                              f"page {line(seen)}; {last['marks']} underline "
                              f"boxes ({', '.join(last['codes'])})  [target p50 <= {TARGETS_MS[use_model]} ms]")
                finally:
                    driver.quit()
                    stop(process)


if __name__ == "__main__":
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    main()
