"""The browser extension in real Chromium: the unpacked build of extension/ loaded into Debian's Chromium
(driven by its ChromeDriver through Selenium, as the compose page's test does), fixture pages that copy
each preset's editor markup served over HTTPS under the real sites' names (resolved to a local server), and
the real empathylint service on a loopback port. Nothing is downloaded and nothing leaves the machine.

Run just these: ``python -m pytest tests/browser/test_extension.py``.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import Iterator

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
from extension_harness import (CHROMEDRIVER, CHROMIUM, OPENSSL, FixtureSite, build_extension,  # noqa: E402
                               chromium, extension_id, manifest, page_url, workdir)

from selenium.webdriver.common.action_chains import ActionChains  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.common.keys import Keys  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402

from empathylint.server.app import create_app  # noqa: E402
from empathylint.server.runner import BackgroundServer, free_port  # noqa: E402
from empathylint.server.service import LintService  # noqa: E402

pytestmark = pytest.mark.skipif(
    CHROMIUM is None or CHROMEDRIVER is None or OPENSSL is None,
    reason="needs Debian's chromium and chromium-driver (/usr/bin/chromium, /usr/bin/chromedriver) and openssl "
           "(for the fixture site's certificate): sudo apt-get install chromium chromium-driver openssl")

WAIT_S = 20
EXTENSION_ID = extension_id(manifest())
ORIGIN = f"chrome-extension://{EXTENSION_ID}"
OPTIONS = f"{ORIGIN}/options/options.html"
REPLY = "As I already explained, just restart it."
FLAGGED = ["As I already explained", "just"]
CLEAN = "Thank you for your patience. Your refund is on its way and should arrive by Friday."
FIXABLE = "Please send the receipt at your earliest convenience."
CONTENTEDITABLE = ["gmail", "outlook", "helpscout", "front"]


# ---- set-up ----------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def folder() -> Iterator[Path]:
    yield from workdir()


@pytest.fixture(scope="module")
def service_url(rules_linter) -> Iterator[str]:
    with BackgroundServer(create_app(LintService(linter=rules_linter), allow_origins=(ORIGIN,))) as url:
        yield url


@pytest.fixture(scope="module")
def browser(folder, service_url):
    extension = build_extension(folder / "extension")
    with FixtureSite(folder) as port:
        driver = chromium(extension, port)
        driver.set_page_load_timeout(WAIT_S)
        try:
            driver.get(OPTIONS)
            configure(driver, serviceUrl=service_url)
            driver.options_tab = driver.current_window_handle
            driver.switch_to.new_window("tab")
            driver.page_tab = driver.current_window_handle
            yield driver
        finally:
            driver.quit()


def options_ready(driver) -> None:
    """The options page, once its script has filled and wired the form. Just after the browser starts, the
    extension may not be installed yet: the page is loaded again until it is."""
    deadline = time.monotonic() + WAIT_S
    while True:
        try:
            WebDriverWait(driver, 3).until(
                lambda d: d.execute_script("return document.documentElement.dataset.ready") == "true")
            return
        except Exception:
            if time.monotonic() > deadline:
                raise
            driver.get(OPTIONS)


def configure(driver, **fields: str) -> None:
    """Fill the options page's form (the tab showing it) and save."""
    options_ready(driver)
    for name, value in fields.items():
        element = driver.find_element(By.ID, name)
        if element.tag_name == "select":
            driver.execute_script("arguments[0].value = arguments[1]", element, value)
        else:
            element.clear()
            element.send_keys(value)
    driver.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    WebDriverWait(driver, WAIT_S).until(lambda d: "Saved" in d.find_element(By.ID, "status").text)


class options_changed:
    """``with options_changed(browser, serviceUrl=...):`` for the block, then back as they were."""

    def __init__(self, driver, **fields: str) -> None:
        self.driver, self.fields = driver, fields

    def __enter__(self):
        d = self.driver
        d.switch_to.window(d.options_tab)
        d.get(OPTIONS)
        options_ready(d)
        self.before = {k: d.execute_script("return document.getElementById(arguments[0]).value", k) for k in self.fields}
        configure(d, **self.fields)
        d.switch_to.window(d.page_tab)
        return d

    def __exit__(self, *exc: object) -> None:
        d = self.driver
        d.switch_to.window(d.options_tab)
        d.get(OPTIONS)
        configure(d, **self.before)
        d.switch_to.window(d.page_tab)


def wait(driver, timeout: float = WAIT_S) -> WebDriverWait:
    return WebDriverWait(driver, timeout)


# ---- reading the page --------------------------------------------------------------------------------
LAYER_JS = """
const host = document.querySelector('empathylint-overlay');
if (!host) return null;
const layer = host.shadowRoot.querySelector('.layer');
if (!layer) return null;
return {state: layer.dataset.state, count: Number(layer.dataset.count), reason: layer.dataset.reason,
        latency: Number(layer.dataset.latencyMs || 0), checks: Number(layer.dataset.checks || 0),
        underlines: [...layer.querySelectorAll('.underline')].map(u => {
          const r = u.getBoundingClientRect();
          return {text: u.dataset.text, code: u.dataset.code, left: r.left, right: r.right, bottom: r.bottom};
        })};
"""


def layer(driver) -> dict | None:
    enter_editor(driver)
    return driver.execute_script(LAYER_JS)


def checked(driver, state: str = "ok", text: str | None = None) -> dict:
    """The overlay once the last check of the editor's text is drawn (and, with `text`, it has that text)."""
    def done(d):
        found = layer(d)
        if not found or found["state"] != state:
            return False
        return found if text is None or draft_text(d) == text else False
    return wait(driver).until(done)


def shadow(driver, selector: str):
    return driver.execute_script("const h = document.querySelector('empathylint-overlay');"
                                 "return h && h.shadowRoot.querySelector(arguments[0]);", selector)


def draft(driver):
    return driver.find_element(By.CSS_SELECTOR, "[data-draft]")


def enter_editor(driver) -> None:
    """Look into the document that holds the editor (the page, or its editor iframe)."""
    driver.switch_to.default_content()
    frames = driver.find_elements(By.CSS_SELECTOR, "iframe[data-editor-frame]")
    if frames:
        driver.switch_to.frame(frames[0])


def draft_text(driver) -> str:
    enter_editor(driver)
    return driver.execute_script("const e = document.querySelector('[data-draft]');"
                                 "return e.tagName === 'TEXTAREA' ? e.value : e.innerText.replace(/\\n+$/, '');")


def open_preset(driver, preset: str):
    driver.switch_to.window(driver.page_tab)
    driver.get(page_url(preset))
    wait(driver).until(lambda d: d.execute_script("return document.readyState") == "complete")
    if preset == "freshdesk":
        driver.switch_to.frame(driver.find_element(By.CSS_SELECTOR, "iframe[data-editor-frame]"))
    editor = draft(driver)
    editor.click()
    return editor


def type_reply(driver, preset: str, text: str):
    editor = open_preset(driver, preset)
    editor.send_keys(text)
    return editor


TEXT_RECT_JS = """
const [root, needle, nth] = arguments;
const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
const nodes = []; let text = '';
while (walker.nextNode()) { nodes.push([walker.currentNode, text.length]); text += walker.currentNode.data; }
let at = -1;
for (let k = 0; k <= nth; k++) at = text.indexOf(needle, at + 1);
const point = (i) => { for (const [n, s] of nodes) if (i <= s + n.data.length) return [n, i - s]; };
const range = document.createRange();
range.setStart(...point(at)); range.setEnd(...point(at + needle.length));
const r = range.getBoundingClientRect();
return {left: r.left, right: r.right, bottom: r.bottom};
"""

TEXTAREA_RECT_JS = """
const [ta, needle] = arguments;
const style = getComputedStyle(ta);
const ctx = document.createElement('canvas').getContext('2d');
ctx.font = `${style.fontSize} ${style.fontFamily}`;
const at = ta.value.indexOf(needle);
const line = ta.value.slice(0, at).split('\\n');
const box = ta.getBoundingClientRect();
const x0 = box.left + parseFloat(style.borderLeftWidth) + parseFloat(style.paddingLeft);
const y0 = box.top + parseFloat(style.borderTopWidth) + parseFloat(style.paddingTop);
const left = x0 + ctx.measureText(line[line.length - 1]).width;
return {left, right: left + ctx.measureText(needle).width,
        bottom: y0 + (line.length) * parseFloat(style.lineHeight) - ta.scrollTop};
"""


def expected_box(driver, needle: str) -> dict:
    editor = draft(driver)
    if editor.tag_name == "textarea":
        return driver.execute_script(TEXTAREA_RECT_JS, editor, needle)
    return driver.execute_script(TEXT_RECT_JS, editor, needle, 0)


def underline_box(found: dict, text: str) -> dict:
    parts = [u for u in found["underlines"] if u["text"] == text]
    assert parts, (text, [u["text"] for u in found["underlines"]])
    return {"left": min(u["left"] for u in parts), "right": max(u["right"] for u in parts),
            "bottom": max(u["bottom"] for u in parts)}


def sent(driver) -> list[dict]:
    driver.switch_to.default_content()
    return driver.execute_script("return window.sent || []")


# ---- underlines ------------------------------------------------------------------------------------
@pytest.mark.parametrize("preset", ["zendesk", *CONTENTEDITABLE, "freshdesk"])
def test_typing_a_draft_underlines_the_flagged_words_under_them(browser, preset):
    type_reply(browser, preset, REPLY)
    found = checked(browser, text=REPLY)
    codes = {u["text"]: u["code"] for u in found["underlines"]}
    assert codes["As I already explained"] == "CND001" and codes["just"] == "CND005"
    for word in FLAGGED:
        want, got = expected_box(browser, word), underline_box(found, word)
        assert abs(got["left"] - want["left"]) < 2 and abs(got["right"] - want["right"]) < 2, (word, got, want)
        assert -3 <= got["bottom"] - want["bottom"] <= 4, (word, got, want)


def test_nested_markup_quoted_history_and_signature_are_read_as_the_agent_wrote_them(browser):
    """Gmail's editor: lines as <div>s, a <br> line, a <span> inside a phrase; the quoted message and the
    signature are not the agent's reply and are not linted."""
    editor = open_preset(browser, "gmail")
    browser.execute_script("""arguments[0].innerHTML = '<div>Hi Dana,</div><div><br></div>'
        + '<div id="line">As I <span style="font-weight:bold">already</span> explained, </div><div><br></div>'
        + '<div class="gmail_signature">-- <br>Sam</div>'
        + '<div class="gmail_quote">On Monday Dana wrote:<br>Like I said, just fix it.</div>';
        const line = document.getElementById('line');
        const range = document.createRange(); range.setStart(line.lastChild, line.lastChild.length); range.collapse(true);
        getSelection().removeAllRanges(); getSelection().addRange(range);""", editor)
    ActionChains(browser).send_keys("just restart it.").perform()
    found = checked(browser)
    wait(browser).until(lambda d: "just restart" in d.execute_script("return document.getElementById('line').textContent"))
    found = checked(browser)
    texts = [u["text"] for u in found["underlines"]]
    assert "As I already explained" in texts and "just" in texts
    assert "Like I said" not in texts, "the quoted history is not linted"
    # Three text nodes (As I / already / explained): the underline follows each, under the phrase.
    assert len([t for t in texts if t == "As I already explained"]) == 3
    want = browser.execute_script(TEXT_RECT_JS, editor, "just", 0)
    got = underline_box(found, "just")
    assert abs(got["left"] - want["left"]) < 2
    assert "<span" in editor.get_attribute("innerHTML"), "the editor's own markup is left alone"


# ---- explaining and fixing ---------------------------------------------------------------------------
def hover(driver, text: str):
    """Move the pointer over the underlined `text` (the overlay lets the pointer through to the editor)."""
    found = checked(driver)
    box = underline_box(found, text)
    editor = draft(driver)
    rect = driver.execute_script("const r = arguments[0].getBoundingClientRect(); return {left: r.left, top: r.top,"
                                 "width: r.width, height: r.height};", editor)
    x = (box["left"] + box["right"]) / 2 - (rect["left"] + rect["width"] / 2)
    y = box["bottom"] - 6 - (rect["top"] + rect["height"] / 2)
    ActionChains(driver).move_to_element_with_offset(editor, int(x), int(y)).perform()
    driver.switch_to.default_content()  # an editor's explanation is drawn in the top page
    return wait(driver).until(lambda d: shadow(d, ".popover"))


def test_hovering_an_underline_explains_it(browser, service_url):
    import httpx

    type_reply(browser, "outlook", REPLY)
    popover = hover(browser, "As I already explained")
    reason = next(r["reason"] for r in httpx.get(f"{service_url}/v1/rules").json() if r["code"] == "CND001")
    text = " ".join(popover.text.split())
    assert "CND001" in text and " ".join(reason.split()) in text and "Better wording:" in text
    assert browser.execute_script("return arguments[0].querySelector('button.apply')", popover) is None, \
        "no one-click fix for a rule without a safe fix"


@pytest.mark.parametrize("preset", ["zendesk", "gmail", "freshdesk"])
def test_a_safe_fix_changes_exactly_the_flagged_characters_keeps_the_caret_and_undoes(browser, preset):
    editor = type_reply(browser, preset, FIXABLE)
    checked(browser, text=FIXABLE)
    before_html = editor.get_attribute("innerHTML") if preset != "zendesk" else None
    popover = hover(browser, "at your earliest convenience")
    button = browser.execute_script("return arguments[0].querySelector('button.apply')", popover)
    assert button.text == "Replace with “when you can”"
    button.click()
    fixed = FIXABLE.replace("at your earliest convenience", "when you can")
    wait(browser).until(lambda d: draft_text(d) == fixed)
    editor = draft(browser)
    if before_html is not None:
        after_html = editor.get_attribute("innerHTML")
        assert after_html == before_html.replace("at your earliest convenience", "when you can")
    caret = browser.execute_script(
        "const e = arguments[0]; if (e.tagName === 'TEXTAREA') return [e.selectionStart, e.selectionEnd, e.value.length];"
        "const s = getSelection(); const r = document.createRange(); r.selectNodeContents(e);"
        "r.setEnd(s.focusNode, s.focusOffset); return [r.toString().length, r.toString().length, e.textContent.length];",
        editor)
    assert caret[0] == caret[1] == caret[2], "the caret stays at the end of the reply, where the agent left it"
    assert browser.execute_script("return document.activeElement") == editor
    checked(browser, text=fixed)
    ActionChains(browser).key_down(Keys.CONTROL).send_keys("z").key_up(Keys.CONTROL).perform()
    wait(browser).until(lambda d: draft_text(d) == FIXABLE)


def test_a_deletion_fix_takes_the_space_with_it_as_check_fix_does(browser):
    from empathylint.fixes import apply_fixes
    from empathylint.diagnostic import Fix

    text = "Please do not hesitate to contact us."
    type_reply(browser, "front", text)
    popover = hover(browser, "do not hesitate to")
    browser.execute_script("return arguments[0].querySelector('button.apply')", popover).click()
    start = text.index("do not hesitate to")
    want = apply_fixes(text, [Fix(start, start + len("do not hesitate to"), "", True)])
    wait(browser).until(lambda d: draft_text(d) == want)
    assert want == "Please contact us."


# ---- badge -------------------------------------------------------------------------------------------
def badge(driver, url_pattern: str) -> str:
    driver.switch_to.window(driver.options_tab)
    try:
        return driver.execute_async_script("""const done = arguments[arguments.length - 1];
            chrome.tabs.query({url: arguments[0]}).then(tabs =>
              chrome.runtime.sendMessage({type: 'badge-text', tabId: tabs[0].id})).then(a => done(a.text));""",
                                           url_pattern)
    finally:
        driver.switch_to.window(driver.page_tab)


def test_the_badge_counts_the_findings(browser):
    type_reply(browser, "helpscout", REPLY)
    found = checked(browser, text=REPLY)
    assert found["count"] >= 2
    assert badge(browser, "https://secure.helpscout.net/*") == str(found["count"])
    type_reply(browser, "helpscout", CLEAN)
    clean = checked(browser, text=CLEAN)
    assert clean["count"] < found["count"]
    wait(browser).until(lambda d: badge(d, "https://secure.helpscout.net/*") == (str(clean["count"]) if clean["count"] else ""))


# ---- pre-send ------------------------------------------------------------------------------------------
def click_send(driver):
    driver.switch_to.default_content()
    driver.find_element(By.CSS_SELECTOR, "[data-send], button[type=submit]").click()


def dialog(driver):
    driver.switch_to.default_content()
    return shadow(driver, ".dialog")


@pytest.mark.parametrize("preset", ["zendesk", "gmail", "freshdesk"])
def test_send_asks_first_when_the_draft_has_warnings_and_sends_anyway_on_request(browser, preset):
    type_reply(browser, preset, REPLY)
    checked(browser, text=REPLY)
    click_send(browser)
    asked = wait(browser).until(dialog)
    assert "at warning or above" in asked.text and "As I already explained" in asked.text
    time.sleep(0.3)
    assert sent(browser) == [], "the site's Send did not run"
    browser.execute_script("arguments[0].querySelector('button.send-anyway').click()", asked)
    wait(browser).until(lambda d: len(sent(d)) == 1)
    assert sent(browser)[0]["text"].strip() == REPLY
    assert dialog(browser) is None


def test_review_keeps_the_reply_and_shows_the_first_finding(browser):
    type_reply(browser, "outlook", REPLY)
    checked(browser, text=REPLY)
    click_send(browser)
    asked = wait(browser).until(dialog)
    browser.execute_script("arguments[0].querySelector('button.review').click()", asked)
    popover = wait(browser).until(lambda d: shadow(d, ".popover"))
    assert popover.get_attribute("data-code") in {"CND001", "CND005"}
    time.sleep(0.3)
    assert sent(browser) == []


def test_the_send_shortcut_is_held_too(browser):
    editor = type_reply(browser, "front", REPLY)
    checked(browser, text=REPLY)
    editor.send_keys(Keys.CONTROL, Keys.ENTER)
    asked = wait(browser).until(dialog)
    assert sent(browser) == []
    browser.execute_script("arguments[0].querySelector('button.send-anyway').click()", asked)
    wait(browser).until(lambda d: [s["how"] for s in sent(d)] == ["key"])


def test_a_clean_draft_is_sent_at_once_without_asking(browser):
    type_reply(browser, "gmail", CLEAN)
    checked(browser, text=CLEAN)
    click_send(browser)
    wait(browser).until(lambda d: len(sent(d)) == 1)
    assert dialog(browser) is None


def test_a_draft_sent_before_its_check_is_checked_first(browser):
    """Send pressed while the debounce still waits: the click is held for the check, which asks."""
    type_reply(browser, "zendesk", REPLY)
    click_send(browser)
    asked = wait(browser).until(dialog)
    assert "As I already explained" in asked.text and sent(browser) == []


def test_findings_below_the_fail_level_do_not_ask(browser):
    with options_changed(browser, failLevel="error"):
        type_reply(browser, "zendesk", REPLY)
        checked(browser, text=REPLY)
        click_send(browser)
        wait(browser).until(lambda d: len(sent(d)) == 1)
        assert dialog(browser) is None


# ---- a service that is not there never blocks a reply --------------------------------------------------
def toast(driver) -> str:
    driver.switch_to.default_content()
    node = wait(driver).until(lambda d: shadow(d, ".toast"))
    return node.text


@pytest.mark.parametrize("preset", ["zendesk", "freshdesk"])
def test_a_stopped_service_never_blocks_send_and_says_the_check_was_skipped(browser, preset):
    with options_changed(browser, serviceUrl=f"http://127.0.0.1:{free_port()}"):
        type_reply(browser, preset, REPLY)
        found = checked(browser, state="skipped", text=REPLY)
        assert "cannot be reached" in found["reason"] and found["underlines"] == []
        click_send(browser)
        wait(browser).until(lambda d: len(sent(d)) == 1)
        assert "check skipped" in toast(browser)
        assert dialog(browser) is None


def test_send_right_after_typing_with_the_service_stopped_goes_out_at_once(browser):
    with options_changed(browser, serviceUrl=f"http://127.0.0.1:{free_port()}"):
        type_reply(browser, "gmail", REPLY)
        start = time.monotonic()
        click_send(browser)
        wait(browser).until(lambda d: len(sent(d)) == 1)
        assert time.monotonic() - start < 3
        assert "check skipped" in toast(browser)


class SlowLinter:
    """A linter that takes 5 s a reply: a service too slow to wait for."""

    def __init__(self, real) -> None:
        self.real, self.config, self.rules = real, real.config, real.rules

    def lint_sources(self, sources):
        time.sleep(5)
        return self.real.lint_sources(sources)


def test_a_slow_service_never_holds_send_for_long(browser, rules_linter):
    app = create_app(LintService(linter=SlowLinter(rules_linter), warm=False), allow_origins=(ORIGIN,))
    with BackgroundServer(app) as slow, options_changed(browser, serviceUrl=slow):
        type_reply(browser, "outlook", REPLY)
        start = time.monotonic()
        click_send(browser)
        wait(browser).until(lambda d: len(sent(d)) == 1)
        assert time.monotonic() - start < 4, "held for the send timeout (1.5 s) at most"
        assert "did not answer" in toast(browser)


def test_a_service_not_started_with_allow_origin_refuses_the_extension(browser, rules_linter):
    with BackgroundServer(create_app(LintService(linter=rules_linter, warm=False))) as closed, \
            options_changed(browser, serviceUrl=closed):
        type_reply(browser, "front", REPLY)
        found = checked(browser, state="skipped", text=REPLY)
        assert f"--allow-origin {ORIGIN}" in found["reason"]
        click_send(browser)
        wait(browser).until(lambda d: len(sent(d)) == 1)


# ---- options and the fallback ------------------------------------------------------------------------------
def test_the_options_page_accepts_only_a_loopback_service(browser):
    browser.switch_to.window(browser.options_tab)
    try:
        browser.get(OPTIONS)
        options_ready(browser)
        assert ORIGIN in browser.find_element(By.ID, "origin").text
        field = browser.find_element(By.ID, "serviceUrl")
        before = field.get_attribute("value")
        field.clear()
        field.send_keys("http://lint.example.com:8750")
        browser.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
        wait(browser).until(lambda d: "this computer's" in d.find_element(By.ID, "status").text)
        stored = browser.execute_async_script("const done = arguments[arguments.length - 1];"
                                              "chrome.storage.local.get('serviceUrl').then(s => done(s.serviceUrl));")
        assert stored == before
        labels = [e.text for e in browser.find_elements(By.CSS_SELECTOR, "#sites label")]
        assert labels[:6] == ["Zendesk Agent Workspace", "Gmail", "Outlook on the web", "Freshdesk", "Help Scout", "Front"]
    finally:
        browser.switch_to.window(browser.page_tab)


def test_a_site_switched_off_is_left_alone(browser):
    browser.switch_to.window(browser.options_tab)
    browser.get(OPTIONS)
    options_ready(browser)
    browser.find_element(By.ID, "site-outlook").click()
    configure(browser)
    try:
        type_reply(browser, "outlook", REPLY)
        time.sleep(1.5)
        assert layer(browser) is None
        click_send(browser)
        wait(browser).until(lambda d: len(sent(d)) == 1)
    finally:
        browser.switch_to.window(browser.options_tab)
        browser.get(OPTIONS)
        options_ready(browser)
        browser.find_element(By.ID, "site-outlook").click()
        configure(browser)
        browser.switch_to.window(browser.page_tab)


def test_the_toolbar_button_starts_the_fallback_on_a_page_no_preset_knows(browser):
    """A help-centre form (no preset matches its path): nothing runs until the agent starts the extension,
    then any textarea is linted and the form's submit button asks first."""
    open_preset(browser, "generic")
    time.sleep(1)
    assert layer(browser) is None
    browser.switch_to.window(browser.options_tab)
    started = browser.execute_async_script("""const done = arguments[arguments.length - 1];
        chrome.tabs.query({url: 'https://acme.zendesk.com/hc/*'}).then(tabs =>
          chrome.runtime.sendMessage({type: 'start', tabId: tabs[0].id})).then(done);""")
    assert started == {"ok": True}
    browser.switch_to.window(browser.page_tab)
    draft(browser).click()
    draft(browser).send_keys(REPLY)
    found = checked(browser, text=REPLY)
    assert {"As I already explained", "just"} <= {u["text"] for u in found["underlines"]}
    click_send(browser)
    wait(browser).until(dialog)
    assert sent(browser) == []


# ---- the presets against their fixture pages -------------------------------------------------------------
PRESETS = json.loads((Path(__file__).resolve().parents[2] / "extension" / "presets.json").read_text())["presets"]


@pytest.mark.parametrize("preset", [p for p in PRESETS if p["matches"]], ids=lambda p: p["id"])
def test_each_presets_selectors_parse_and_find_its_fixture_pages_editor_customer_and_send(browser, preset):
    browser.switch_to.window(browser.page_tab)
    browser.get(page_url(preset["id"]))
    found = browser.execute_script("""const [p] = arguments;
        const frame = document.querySelector('iframe[data-editor-frame]');
        const docs = [document, ...(frame ? [frame.contentDocument] : [])];
        const parses = (s) => { try { document.querySelector(s); return true; } catch (e) { return false; } };
        const all = [...p.editors, ...p.exclude, ...p.customer, ...p.send.buttons, p.container];
        const hit = (list) => docs.some((d) => list.some((s) => d.querySelector(s)));
        const draft = docs.map((d) => d.querySelector('[data-draft]')).find(Boolean);
        return {bad: all.filter((s) => !parses(s)), editor: p.editors.some((s) => draft.matches(s)),
                customer: hit(p.customer), send: hit(p.send.buttons), container: hit([p.container])};""", preset)
    assert found == {"bad": [], "editor": True, "customer": True, "send": True, "container": True}


# ---- what is read and sent ---------------------------------------------------------------------------------
def test_the_customers_last_message_on_the_page_goes_with_the_draft(browser):
    """Zendesk's log has an agent comment and then the customer's: the checks that compare the reply with the
    customer's message run on the latter ("router" is the customer's word)."""
    type_reply(browser, "zendesk", "Thanks for writing in. I have updated your account settings.")
    found = checked(browser)
    codes = {u["code"] for u in found["underlines"]}
    assert codes & {"ACK001", "APO005"}, codes
    popover = hover(browser, next(u["text"] for u in found["underlines"] if u["code"] in {"ACK001", "APO005"}))
    assert "router" in popover.text


def test_pretty_printed_markup_and_non_breaking_spaces_map_back_to_the_right_characters(browser):
    """Outlook writes paragraphs with &nbsp; and pretty-printed HTML has newlines and indentation that the
    browser collapses; the text the service sees is what the agent sees, and the underlines land on it."""
    editor = open_preset(browser, "outlook")
    browser.execute_script("""arguments[0].innerHTML = `
        <div class="elementToProof">Hi&nbsp;Dana,</div>
        <div class="elementToProof">
            Thanks for the photo.&nbsp; As I already
            explained, <b>just</b> restart it.
        </div>`;
        arguments[0].dispatchEvent(new InputEvent('input', {bubbles: true}));""", editor)
    found = checked(browser)
    texts = {u["text"] for u in found["underlines"]}
    assert {"As I already explained", "just"} <= texts
    want = browser.execute_script(TEXT_RECT_JS, editor, "just", 0)
    got = underline_box(found, "just")
    assert abs(got["left"] - want["left"]) < 2 and abs(got["right"] - want["right"]) < 2


def test_a_service_with_a_token_is_used_once_the_token_is_in_the_options(browser, rules_linter):
    app = create_app(LintService(linter=rules_linter, warm=False), token="tok-7", allow_origins=(ORIGIN,))
    with BackgroundServer(app) as guarded:
        with options_changed(browser, serviceUrl=guarded, token=""):
            type_reply(browser, "front", REPLY)
            assert "token" in checked(browser, state="skipped", text=REPLY)["reason"]
        with options_changed(browser, serviceUrl=guarded, token="tok-7"):
            type_reply(browser, "front", REPLY)
            assert checked(browser, text=REPLY)["count"] >= 2


def test_underlines_follow_a_scrolled_textarea_and_hide_what_is_scrolled_out(browser):
    lines = ["As I already explained, the update is live."] + [f"Line {i} of the notes." for i in range(12)]
    editor = type_reply(browser, "zendesk", "\n".join(lines) + "\nPlease just restart it.")
    found = checked(browser)
    assert browser.execute_script("return arguments[0].scrollTop", editor) > 0, "the caret's line scrolled into view"
    texts = [u["text"] for u in found["underlines"]]
    assert "just" in texts and "As I already explained" not in texts, "scrolled out of the box: not drawn"
    want, got = expected_box(browser, "just"), underline_box(found, "just")
    assert abs(got["left"] - want["left"]) < 2 and -3 <= got["bottom"] - want["bottom"] <= 4, (got, want)
    browser.execute_script("arguments[0].scrollTop = 0", editor)
    wait(browser).until(lambda d: "As I already explained" in [u["text"] for u in layer(d)["underlines"]])


def test_the_editor_is_never_written_to_while_it_is_checked_drawn_and_explained(browser):
    """The underlines, chip and popover live in the overlay: nothing in the editor changes (no wrapper, no
    attribute), so the site's own editor code never sees the extension."""
    editor = type_reply(browser, "gmail", REPLY)
    checked(browser, text=REPLY)
    browser.execute_script("""window.touched = [];
        new MutationObserver((records) => window.touched.push(...records.map((r) => r.type)))
          .observe(arguments[0], {subtree: true, childList: true, attributes: true, characterData: true});""", editor)
    before = layer(browser)["checks"]
    browser.execute_script("arguments[0].dispatchEvent(new InputEvent('input', {bubbles: true}))", editor)
    wait(browser).until(lambda d: layer(d)["checks"] > before and layer(d)["state"] == "ok")
    hover(browser, "just")
    browser.execute_script("window.dispatchEvent(new Event('resize'))")
    time.sleep(0.5)
    assert browser.execute_script("return window.touched") == []


def test_moving_the_caret_into_a_flagged_word_explains_it(browser):
    editor = type_reply(browser, "helpscout", REPLY)
    checked(browser, text=REPLY)
    editor.send_keys(Keys.HOME, *[Keys.ARROW_RIGHT] * (REPLY.index("just") + 1))
    browser.switch_to.default_content()
    popover = wait(browser).until(lambda d: shadow(d, ".popover"))
    assert popover.get_attribute("data-code") == "CND005"
    editor.send_keys(Keys.ESCAPE)
    wait(browser).until(lambda d: shadow(d, ".popover") is None)
