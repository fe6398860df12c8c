"""The compose page in a real headless browser: Debian's Chromium driven through its ChromeDriver by
Selenium, against a real server. Nothing is downloaded: the browser and the driver are the system's, named
by path, and Selenium Manager is told to stay offline.

Run just these: ``python -m pytest tests/browser``.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Iterator

import pytest

from selenium import webdriver  # a test dependency (pyproject's `test` extra)
from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.action_chains import ActionChains  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.common.keys import Keys  # noqa: E402
from selenium.webdriver.support import expected_conditions as EC  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402

from empathylint.server.app import create_app  # noqa: E402
from empathylint.server.runner import BackgroundServer  # noqa: E402
from empathylint.server.service import LintService  # noqa: E402


sys.path.insert(0, str(Path(__file__).resolve().parent))
from extension_harness import CHROMEDRIVER, CHROMIUM  # noqa: E402  (the system's browser and driver)

pytestmark = pytest.mark.skipif(
    CHROMIUM is None or CHROMEDRIVER is None,
    reason="needs Debian's chromium and chromium-driver (/usr/bin/chromium, /usr/bin/chromedriver): "
           "sudo apt-get install chromium chromium-driver (.ci/run does this)")

WAIT_S = 20
REPLY = "Hi Dana,\nAs I already explained, just restart the router and it will work."


@pytest.fixture(scope="module")
def url(rules_linter) -> Iterator[str]:
    with BackgroundServer(create_app(LintService(linter=rules_linter))) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator["webdriver.Chrome"]:
    os.environ["SE_OFFLINE"] = "true"  # Selenium Manager: never fetch a browser or a driver
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                     "--window-size=1280,900", "--disable-extensions", "--no-first-run"):
        options.add_argument(argument)
    driver = webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(WAIT_S)
    try:
        yield driver
    finally:
        driver.quit()


@pytest.fixture
def page(browser, url):
    """The compose page, freshly loaded, with the reply typed into the draft."""
    browser.get(f"{url}/")
    draft = browser.find_element(By.ID, "draft")
    draft.send_keys(REPLY)
    return browser


def wait(browser) -> WebDriverWait:
    return WebDriverWait(browser, WAIT_S)


def marks(browser) -> dict[str, str]:
    """The highlighted stretches: text → severity class."""
    return {m.text: m.get_attribute("class") for m in browser.find_elements(By.CSS_SELECTOR, "#backdrop mark")}


def mark_for(browser, text: str):
    return wait(browser).until(lambda b: next(
        (m for m in b.find_elements(By.CSS_SELECTOR, "#backdrop mark") if m.text == text), False))


def reason_of(url: str, code: str) -> str:
    import httpx

    return next(r["reason"] for r in httpx.get(f"{url}/v1/rules").json() if r["code"] == code)


def test_the_page_is_labelled_for_assistive_technology(browser, url):
    browser.get(f"{url}/")
    label = browser.find_element(By.CSS_SELECTOR, "label[for=draft]")
    assert label.text == "Your reply"
    assert browser.find_element(By.ID, "backdrop").get_attribute("aria-hidden") == "true"
    assert browser.find_element(By.ID, "status").get_attribute("aria-live") == "polite"
    assert browser.switch_to.active_element.get_attribute("id") == "draft"


def test_typing_as_i_already_explained_highlights_it(page):
    mark = mark_for(page, "As I already explained")
    assert "sev-warning" in mark.get_attribute("class")
    assert "just" in marks(page)
    items = page.find_elements(By.CSS_SELECTOR, "#warnings li")
    assert [i.get_attribute("data-code") for i in items][:2] == ["CND001", "CND005"]
    assert "warning" in page.find_element(By.ID, "status").text


def test_hovering_a_highlight_shows_the_reason_and_better_wording(page, url):
    mark = mark_for(page, "As I already explained")
    # The textarea lies over the marks: the pointer moves over the mark's place, as a person's would.
    ActionChains(page).move_to_element(mark).perform()
    popover = wait(page).until(EC.visibility_of_element_located((By.ID, "popover")))
    assert reason_of(url, "CND001").split()[0] in popover.text
    assert " ".join(reason_of(url, "CND001").split()) in " ".join(popover.text.split())
    assert "Better wording:" in popover.text


def test_clicking_inside_a_highlight_pins_its_explanation(page, url):
    mark = mark_for(page, "As I already explained")
    ActionChains(page).move_to_element(mark).click().perform()
    popover = wait(page).until(EC.visibility_of_element_located((By.ID, "popover")))
    assert " ".join(reason_of(url, "CND001").split()) in " ".join(popover.text.split())
    assert "active" in mark_for(page, "As I already explained").get_attribute("class")
    page.find_element(By.ID, "draft").send_keys(Keys.ESCAPE)
    wait(page).until(EC.invisibility_of_element_located((By.ID, "popover")))


def test_the_warning_list_works_from_the_keyboard(page, url):
    mark_for(page, "As I already explained")
    item = page.find_element(By.CSS_SELECTOR, "#warnings li[data-code=CND001]")
    assert item.get_attribute("tabindex") == "0"
    item.send_keys(Keys.ENTER)
    popover = wait(page).until(EC.visibility_of_element_located((By.ID, "popover")))
    assert " ".join(reason_of(url, "CND001").split()) in " ".join(popover.text.split())
    draft = page.find_element(By.ID, "draft")
    selected = page.execute_script("return arguments[0].value.slice(arguments[0].selectionStart, "
                                   "arguments[0].selectionEnd)", draft)
    assert selected == "As I already explained"
    assert draft.get_attribute("value") == REPLY, "the Enter key must not reach the draft"


def test_apply_uses_the_rules_fix_in_one_click(page):
    mark_for(page, "just")
    button = page.find_element(By.CSS_SELECTOR, "#warnings li[data-code=CND005] button.apply")
    assert button.text == "Delete “just”"
    button.click()
    draft = page.find_element(By.ID, "draft")
    wait(page).until(lambda b: "just" not in draft.get_attribute("value"))
    assert draft.get_attribute("value") == REPLY.replace("just ", "")
    wait(page).until(lambda b: "CND005" not in [i.get_attribute("data-code")
                                                for i in b.find_elements(By.CSS_SELECTOR, "#warnings li")])
    assert "As I already explained" in marks(page)


def test_a_clean_reply_says_so(browser, url):
    browser.get(f"{url}/")
    browser.find_element(By.ID, "draft").send_keys("Hi Dana,\nThank you for your patience. Your refund is on "
                                                   "its way and should arrive by Friday.")
    wait(browser).until(lambda b: b.find_element(By.ID, "status").text == "No warnings.")
    assert marks(browser) == {}
