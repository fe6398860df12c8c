"""Build and pack the browser extension: one source folder (this one), two packages.

    python extension/build.py [--out dist/extension]

writes ``<out>/chromium/`` and ``<out>/firefox/`` (unpacked, to load as they are) and
``<out>/empathylint-<version>-chromium.zip`` and ``<out>/empathylint-<version>-firefox.zip`` (the latter is
what Firefox installs as an .xpi). The two differ only in the manifest: Chromium runs ``background.js`` as a
service worker and keeps the ``key`` that fixes its extension id; Firefox runs the background scripts and
reads ``browser_specific_settings``. Before writing anything it checks ``presets.json`` (every preset has
the fields the content script reads) and that the manifest asks for exactly the preset sites and the
loopback service, no more. Standard library only; the zips are reproducible (sorted, fixed times).
"""

from __future__ import annotations

import argparse
import copy
import json
import shutil
import sys
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
#: The files that make up the extension (everything else here is for building and testing it).
PACKAGED = ["manifest.json", "settings.js", "background.js", "presets.json", "content/*.js", "options/*"]
LOOPBACK_PERMISSIONS = ["http://127.0.0.1/*", "http://localhost/*", "http://[::1]/*"]
PRESET_FIELDS = {"id": str, "name": str, "matches": list, "editors": list, "exclude": list, "customer": list,
                 "send": dict}
ZIP_TIME = (2024, 1, 1, 0, 0, 0)


class BuildError(Exception):
    """Something in presets.json or manifest.json that would make a broken extension."""


def load_presets(path: Path = HERE / "presets.json") -> list[dict]:
    """The presets, checked: the fields and their types, unique ids, match patterns the browsers accept,
    at least one editor and one Send button selector, shortcuts in the ``mod+alt+shift+Key`` form, and
    exactly one fallback preset (no ``matches``)."""
    presets = json.loads(path.read_text(encoding="utf-8"))["presets"]
    seen: set[str] = set()
    for preset in presets:
        where = f"{path.name}: preset {preset.get('id', '?')!r}"
        for field, kind in PRESET_FIELDS.items():
            if not isinstance(preset.get(field), kind):
                raise BuildError(f"{where}: '{field}' must be a {kind.__name__}")
        if preset["id"] in seen:
            raise BuildError(f"{where}: the id is used twice")
        seen.add(preset["id"])
        for field in ("matches", "editors", "exclude", "customer"):
            if not all(isinstance(x, str) and x.strip() for x in preset[field]):
                raise BuildError(f"{where}: '{field}' must list non-empty strings")
        if not preset["editors"]:
            raise BuildError(f"{where}: 'editors' needs at least one selector")
        send = preset["send"]
        if not send.get("buttons") or not all(isinstance(s, str) and s for s in send["buttons"]):
            raise BuildError(f"{where}: 'send.buttons' needs at least one selector")
        for shortcut in send.get("shortcuts", []):
            *mods, key = shortcut.split("+")
            if not key or any(m.lower() not in ("mod", "alt", "shift") for m in mods):
                raise BuildError(f"{where}: shortcut {shortcut!r} is not like 'mod+Enter' or 'mod+alt+KeyS'")
        if "container" in preset and not (isinstance(preset["container"], str) and preset["container"].strip()):
            raise BuildError(f"{where}: 'container' must be a selector")
        for pattern in preset["matches"]:
            host_permission(pattern, where)
    fallbacks = [p["id"] for p in presets if not p["matches"]]
    if len(fallbacks) != 1:
        raise BuildError(f"{path.name}: exactly one preset must have no 'matches' (the fallback), not {fallbacks}")
    return presets


def host_permission(pattern: str, where: str = "") -> str:
    """The host permission a content-script match pattern needs: ``https://*.zendesk.com/agent/*`` ->
    ``https://*.zendesk.com/*``. Only https sites: a helpdesk served over http is no place for a draft."""
    scheme, sep, rest = pattern.partition("://")
    host, slash, _ = rest.partition("/")
    if scheme != "https" or not sep or not slash or not host or "*" in host[1:] or host.startswith("*") and not host.startswith("*."):
        raise BuildError(f"{where}: {pattern!r} is not a match pattern like 'https://*.example.com/path/*'")
    return f"https://{host}/*"


def check_manifest(manifest: dict, presets: list[dict]) -> None:
    """The manifest's content scripts run on the preset sites, and it asks for their hosts and the loopback
    service only."""
    matches = [m for p in presets for m in p["matches"]]
    if manifest["content_scripts"][0]["matches"] != matches:
        raise BuildError("manifest.json: content_scripts.matches must list the presets' matches, in order: "
                         f"{matches}")
    wanted = LOOPBACK_PERMISSIONS + list(dict.fromkeys(host_permission(m) for m in matches))
    if manifest["host_permissions"] != wanted:
        raise BuildError(f"manifest.json: host_permissions must be exactly {wanted}")
    if manifest.get("optional_host_permissions") or "<all_urls>" in json.dumps(manifest):
        raise BuildError("manifest.json: no permission beyond the preset sites and the loopback service")


def manifest_for(manifest: dict, browser: str) -> dict:
    """The manifest as ``browser`` wants it."""
    out = copy.deepcopy(manifest)
    if browser == "chromium":
        out.pop("browser_specific_settings", None)
        out["background"] = {"service_worker": manifest["background"]["service_worker"]}
    elif browser == "firefox":
        for key in ("key", "minimum_chrome_version"):
            out.pop(key, None)
        out["background"] = {"scripts": manifest["background"]["scripts"]}
    else:
        raise ValueError(browser)
    return out


def packaged_files(source: Path = HERE) -> list[Path]:
    return sorted({p for pattern in PACKAGED for p in source.glob(pattern) if p.is_file()})


def build(out: Path, source: Path = HERE) -> dict[str, Path]:
    """Write the unpacked folders and the zips under ``out``; returns ``{browser: zip path}``."""
    presets = load_presets(source / "presets.json")
    manifest = json.loads((source / "manifest.json").read_text(encoding="utf-8"))
    check_manifest(manifest, presets)
    files = packaged_files(source)
    zips = {}
    for browser in ("chromium", "firefox"):
        folder = out / browser
        if folder.exists():
            shutil.rmtree(folder)
        for path in files:
            target = folder / path.relative_to(source)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, target)
        (folder / "manifest.json").write_text(json.dumps(manifest_for(manifest, browser), indent=2) + "\n",
                                              encoding="utf-8")
        archive = out / f"empathylint-{manifest['version']}-{browser}.zip"
        with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
            for path in sorted(p for p in folder.rglob("*") if p.is_file()):
                info = zipfile.ZipInfo(path.relative_to(folder).as_posix(), ZIP_TIME)
                info.compress_type = zipfile.ZIP_DEFLATED
                info.external_attr = 0o644 << 16
                zf.writestr(info, path.read_bytes())
        zips[browser] = archive
    return zips


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=HERE.parent / "dist" / "extension",
                        help="where the folders and zips go (default: dist/extension)")
    args = parser.parse_args(argv)
    try:
        zips = build(args.out)
    except BuildError as exc:
        print(f"extension/build.py: {exc}", file=sys.stderr)
        return 1
    for browser, path in zips.items():
        print(f"{browser}: {path} (unpacked: {path.parent / browser})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
