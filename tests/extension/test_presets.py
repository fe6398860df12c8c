"""The extension's data and packaging, without a browser: every site preset has the fields the content
script reads, the manifest asks for the preset sites and the loopback service and nothing more, and
extension/build.py packs a Chromium and a Firefox zip that differ only where the browsers do."""

from __future__ import annotations

import copy
import importlib.util
import json
import re
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
EXTENSION = ROOT / "extension"
spec = importlib.util.spec_from_file_location("extension_build", EXTENSION / "build.py")
build = importlib.util.module_from_spec(spec)
spec.loader.exec_module(build)

PRESETS = build.load_presets()
MANIFEST = json.loads((EXTENSION / "manifest.json").read_text(encoding="utf-8"))
SITES = {"zendesk": "Zendesk Agent Workspace", "gmail": "Gmail", "outlook": "Outlook on the web",
         "freshdesk": "Freshdesk", "helpscout": "Help Scout", "front": "Front"}


def test_there_is_a_preset_for_each_site_the_issue_names_and_one_fallback():
    assert {p["id"]: p["name"] for p in PRESETS if p["matches"]} == SITES
    fallback = [p for p in PRESETS if not p["matches"]]
    assert [p["id"] for p in fallback] == ["generic"]
    assert {"textarea", "[contenteditable='true']"} <= set(fallback[0]["editors"])


@pytest.mark.parametrize("preset", PRESETS, ids=[p["id"] for p in PRESETS])
def test_every_preset_has_what_the_content_script_reads(preset):
    for field in ("id", "name", "matches", "editors", "exclude", "customer", "send"):
        assert field in preset, field
    assert preset["editors"] and preset["send"]["buttons"] and preset["send"]["shortcuts"]
    if preset["matches"]:
        assert preset["customer"], "a helpdesk preset says where the customer's last message is"
        assert preset["container"].strip()
    for pattern in preset["matches"]:
        assert pattern.startswith("https://") and pattern.count("/") >= 3
    for selector in preset["editors"] + preset["exclude"] + preset["customer"] + preset["send"]["buttons"]:
        assert selector.strip() == selector and selector.count("[") == selector.count("]")
        assert selector.count("(") == selector.count(")") and selector.count("'") % 2 == 0


def test_a_broken_preset_is_reported_with_what_to_fix(tmp_path):
    data = json.loads((EXTENSION / "presets.json").read_text(encoding="utf-8"))
    cases = [
        (lambda p: p.pop("editors"), "'editors' must be a list"),
        (lambda p: p.__setitem__("editors", []), "'editors' needs at least one selector"),
        (lambda p: p["send"].__setitem__("buttons", []), "'send.buttons' needs at least one selector"),
        (lambda p: p["send"].__setitem__("shortcuts", ["ctrl+Enter"]), "is not like 'mod+Enter'"),
        (lambda p: p.__setitem__("matches", ["http://*.zendesk.com/*"]), "is not a match pattern"),
        (lambda p: p.__setitem__("matches", ["https://zen*.com/*"]), "is not a match pattern"),
        (lambda p: p.__setitem__("id", "gmail"), "the id is used twice"),
    ]
    for change, message in cases:
        broken = copy.deepcopy(data)
        change(broken["presets"][0])
        path = tmp_path / "presets.json"
        path.write_text(json.dumps(broken), encoding="utf-8")
        with pytest.raises(build.BuildError, match=re.escape(message)):
            build.load_presets(path)
    no_fallback = copy.deepcopy(data)
    no_fallback["presets"] = [p for p in no_fallback["presets"] if p["matches"]]
    path.write_text(json.dumps(no_fallback), encoding="utf-8")
    with pytest.raises(build.BuildError, match="exactly one preset"):
        build.load_presets(path)


def test_the_manifest_asks_only_for_the_preset_sites_and_the_loopback_service():
    build.check_manifest(MANIFEST, PRESETS)
    assert MANIFEST["manifest_version"] == 3
    assert set(MANIFEST["permissions"]) == {"storage", "activeTab", "scripting"}
    assert MANIFEST["host_permissions"][:3] == ["http://127.0.0.1/*", "http://localhost/*", "http://[::1]/*"]
    assert all(h.startswith("https://") for h in MANIFEST["host_permissions"][3:])
    assert "<all_urls>" not in json.dumps(MANIFEST) and "optional_host_permissions" not in MANIFEST
    scripts = MANIFEST["content_scripts"][0]
    assert scripts["run_at"] == "document_start" and scripts["js"][0] == "settings.js"
    assert all((EXTENSION / f).is_file() for f in scripts["js"] + MANIFEST["background"]["scripts"])


def test_a_manifest_asking_for_more_is_refused():
    wider = copy.deepcopy(MANIFEST)
    wider["host_permissions"].append("https://*/*")
    with pytest.raises(build.BuildError, match="host_permissions must be exactly"):
        build.check_manifest(wider, PRESETS)
    stray = copy.deepcopy(MANIFEST)
    stray["content_scripts"][0]["matches"].append("<all_urls>")
    with pytest.raises(build.BuildError, match="content_scripts.matches"):
        build.check_manifest(stray, PRESETS)


def test_the_build_packs_a_chromium_and_a_firefox_zip(tmp_path):
    zips = build.build(tmp_path)
    assert set(zips) == {"chromium", "firefox"}
    manifests = {}
    for browser, path in zips.items():
        with zipfile.ZipFile(path) as zf:
            names = set(zf.namelist())
            manifests[browser] = json.loads(zf.read("manifest.json"))
            assert zf.read("presets.json") == (EXTENSION / "presets.json").read_bytes()
        assert {"manifest.json", "background.js", "settings.js", "presets.json", "content/main.js",
                "options/options.html", "options/options.js"} <= names
        assert not any(n.endswith(".py") for n in names)
    chromium, firefox = manifests["chromium"], manifests["firefox"]
    assert chromium["background"] == {"service_worker": "background.js"} and "browser_specific_settings" not in chromium
    assert chromium["key"] == MANIFEST["key"]
    assert firefox["background"] == {"scripts": ["settings.js", "background.js"]} and "key" not in firefox
    assert firefox["browser_specific_settings"]["gecko"]["id"]
    for key in ("permissions", "host_permissions", "content_scripts", "options_ui", "action"):
        assert chromium[key] == firefox[key] == MANIFEST[key]
    again = build.build(tmp_path / "again")
    assert all(again[b].read_bytes() == zips[b].read_bytes() for b in zips), "the zips are reproducible"


def test_build_command_line_reports_a_broken_manifest(tmp_path, capsys, monkeypatch):
    assert build.main(["--out", str(tmp_path)]) == 0
    assert "chromium:" in capsys.readouterr().out
    monkeypatch.setattr(build, "check_manifest", lambda m, p: (_ for _ in ()).throw(build.BuildError("bad")))
    assert build.main(["--out", str(tmp_path)]) == 1
    assert "extension/build.py: bad" in capsys.readouterr().err
