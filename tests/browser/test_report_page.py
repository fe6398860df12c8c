"""The report's HTML in real headless Chromium (Debian's chromium + chromedriver, as for the compose page):
the charts and tables render, no request leaves the page, and a click on a topic or a rule lists its
conversations, and a click on one of those shows its messages. The page is opened from disk (file://).

Run just these: ``python -m pytest tests/browser/test_report_page.py``.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path
from typing import Iterator

import pytest

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from empathylint.report.batch import ReportSettings
from empathylint.report.cli import run_report

DATA = Path(__file__).parents[1] / "report" / "data"
BROWSER = shutil.which("chromium") or shutil.which("chromium-browser")
DRIVER = shutil.which("chromedriver")
pytestmark = pytest.mark.skipif(BROWSER is None or DRIVER is None,
                                reason="needs Debian's chromium and chromium-driver (.ci/run installs them)")


@pytest.fixture(scope="module")
def report_page(rules_linter, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("report")
    run_report([str(DATA / "threads.jsonl"), str(DATA / "zendesk.json")], out, ReportSettings(), use_model=False,
               linter=rules_linter, progress=False)
    return out / "report.html"


@pytest.fixture(scope="module")
def chromium() -> Iterator[webdriver.Chrome]:
    os.environ["SE_OFFLINE"] = "true"
    options = webdriver.ChromeOptions()
    options.binary_location = BROWSER
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                     "--window-size=1280,900", "--no-first-run"):
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"performance": "ALL"})
    driver = webdriver.Chrome(service=Service(executable_path=DRIVER), options=options)
    try:
        yield driver
    finally:
        driver.quit()


def requests_made(driver) -> list[str]:
    """The URLs the page asked for since the last call (Chromium's network log)."""
    urls = []
    for entry in driver.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message["method"] == "Network.requestWillBeSent":
            urls.append(message["params"]["request"]["url"])
    return urls


def panel_conversations(driver) -> list[str]:
    WebDriverWait(driver, 10).until(lambda d: d.find_element(By.ID, "panel").is_displayed())
    return [a.text for a in driver.find_elements(By.CSS_SELECTOR, "#panel a.conv-link")]


def test_charts_and_tables_render_without_any_request(chromium, report_page):
    requests_made(chromium)
    chromium.get(report_page.as_uri())
    charts = chromium.find_elements(By.CSS_SELECTOR, "svg.chart")
    assert len(charts) == 3 and all(c.size["width"] > 200 and c.size["height"] > 50 for c in charts)
    assert chromium.find_elements(By.CSS_SELECTOR, "svg.chart rect.bar")
    assert len(chromium.find_elements(By.CSS_SELECTOR, "#topics tbody tr")) >= 2
    assert chromium.find_elements(By.CSS_SELECTOR, "#rules tbody tr")
    assert chromium.find_elements(By.CSS_SELECTOR, "#macros tbody tr")
    assert [u for u in requests_made(chromium) if not u.startswith("file://")] == []
    assert chromium.execute_script("return performance.getEntriesByType('resource').length") == 0


def test_a_click_on_a_topic_lists_its_conversations_and_one_shows_its_messages(chromium, report_page):
    chromium.get(report_page.as_uri())
    topic = chromium.find_element(By.CSS_SELECTOR, "#topics tbody tr a.ref")
    topic.click()
    listed = panel_conversations(chromium)
    assert listed and set(listed) <= {"t1", "t3", "101", "103"}
    chromium.find_element(By.CSS_SELECTOR, "#panel a.conv-link").click()
    WebDriverWait(chromium, 10).until(lambda d: d.find_elements(By.CSS_SELECTOR, "#panel .msg"))
    assert chromium.find_elements(By.CSS_SELECTOR, "#panel .msg.customer")
    assert [u for u in requests_made(chromium) if not u.startswith("file://")] == []


def test_a_click_on_a_rule_lists_its_conversations(chromium, report_page):
    chromium.get(report_page.as_uri())
    row = next(r for r in chromium.find_elements(By.CSS_SELECTOR, "#rules tbody tr") if "APO006" in r.text)
    row.find_element(By.CSS_SELECTOR, "a.ref").click()
    assert panel_conversations(chromium) == ["t3"]
    chromium.find_element(By.CSS_SELECTOR, "#panel a.conv-link").click()
    WebDriverWait(chromium, 10).until(lambda d: "APO006" in d.find_element(By.ID, "panel").text)


def test_a_click_on_a_finding_lists_its_conversations(chromium, report_page):
    chromium.get(report_page.as_uri())
    row = next(r for r in chromium.find_elements(By.CSS_SELECTOR, "#findings tbody tr") if "CNV003" in r.text)
    row.find_element(By.CSS_SELECTOR, "a.ref").click()
    assert panel_conversations(chromium) == ["t1"]


def test_the_page_fits_a_phone(chromium, report_page):
    chromium.set_window_size(390, 844)
    try:
        chromium.get(report_page.as_uri())
        width = chromium.execute_script("return document.documentElement.scrollWidth")
        assert width <= 400  # tables scroll inside their box; the page itself does not
    finally:
        chromium.set_window_size(1280, 900)
