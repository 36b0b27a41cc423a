"""Local copies of the JavaScript and CSS that folium loads from CDNs, for use with no internet.

folium writes ``<script src>``/``<link href>`` tags pointing at public CDNs (jsDelivr, cdnjs, code.jquery.com,
netdna). Offline, and inside streamlit-folium's iframe (which loads the scripts one after another and silently
stops at the first failure), those never load and the map stays blank. This module pins every such file to an
npm package, copies it into ``static/vendor/`` (served by Streamlit at ``/app/static/vendor/``) and rewrites the
URLs of a folium element tree to point there; for standalone HTML it inlines the files into the page.

Offers:
- ``Asset``: one JS/CSS file: the CDN URL folium uses, the npm package, version and path that provide it, the
  local name under ``static/vendor/`` and its kind (``"js"``/``"css"``).
- ``ASSETS``: every file we vendor: folium.Map's defaults (Leaflet 1.9.3, jQuery 3.7.1, Bootstrap 5.2.2 JS and
  CSS, Leaflet.awesome-markers, Font Awesome 6.2.0, folium's awesome-rotate CSS), the plugins
  ``folium.plugins.Fullscreen``, ``MeasureControl`` and ``MousePosition``, and one script of ours (see Notes).
  Files a CSS file refers to with ``url(...)`` (Font Awesome's ``../webfonts/``, Leaflet's and the plugins'
  ``images/``) are copied with it, and so are the files listed in ``Asset.extra``.
- ``NOT_VENDORED``: CDN URLs folium uses that we deliberately have no copy of, with the reason (``localize``
  drops them).
- ``VENDOR_DIR`` (``<repo>/static/vendor``), ``VENDOR_URL`` (``"/app/static/vendor/"``) and ``INLINE_URL``
  (``"vendor://"``, the marker ``inline_html`` replaces).
- ``AssetError``: raised when a file or package is missing or inconsistent; the message names it.
- ``install(*, target, quiet)``: ``npm ci`` the packages of the repo-root ``package.json`` into
  ``<repo>/node_modules`` (only when they are not already there) and copy the needed files into ``target``
  (real copies: Streamlit answers symlinks with HTTP 400). Returns the files it wrote; idempotent, and fast
  (no npm, no copying) when ``target`` already matches.
- ``missing(*, target)``: the local files (relative names) not yet installed in ``target``.
- ``localize(element, *, base_url)``: rewrite the CDN URLs of a folium element tree to ``base_url`` + local name,
  drop the URLs we have no copy of, return the dropped ones.
- ``inline_html(html, *, source)``: put the local files a page refers to with ``INLINE_URL`` into the page
  itself (fonts and images as ``data:`` URLs, Font Awesome reduced to its woff2 fonts, each once) so that it
  renders from ``file://`` with no network at all.
- ``python -m kupiansk_map.web.assets install|check``: the same from the shell; ``check`` exits 1 listing what is
  missing.

Notes:
- folium 0.20.0 does not ship ``leaflet.awesome.rotate.min.css`` (its CDN URL points at folium's git tree); the
  file is only ``.fa-rotate-N{transform:rotate(Ndeg)}`` for N = 0..360, so this module writes it itself.
- Not every CDN file has an npm twin with the same name: npm ``leaflet.fullscreen@3.0.0`` has no ``.min.js``,
  ``leaflet-measure@2.1.7`` (same version as folium's ``gh/ljagis/leaflet-measure@2.1.7``) has no ``.min.css``,
  and Ardhi Lukianto's Leaflet.MousePosition (unversioned ``gh/ardhi/...`` in folium) is on npm only as
  ``leaflet-mouse-position@1.2.0``, a wrapper with the same ``L.Control.MousePosition`` API; the unminified files
  are used instead.
- Leaflet 1.9.3 finds its default marker icon through leaflet.css, which streamlit-folium has not applied yet
  when the map script runs; Leaflet's fallback then asks for ``.../leafletmarker-icon.png``. ``localize`` loads
  a small generated script (``leaflet/leaflet-icon-path.js``) right after leaflet.js that sets the right folder.
- Leaflet, GeoJson, popups and tooltips need neither jQuery nor Bootstrap; they are kept because folium.Map
  declares them and other folium features (e.g. some plugins' controls) use them.
- Not covered: tile layers (``TileLayer`` URLs are not JS/CSS; build offline maps with ``tiles=None``), and the
  d3 scripts that branca ``ColorMap`` legends add at render time (streamlit-folium also hard-codes them).
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import json
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any, Literal

from kupiansk_map import atomic, paths
from kupiansk_map.web import static_text

ROOT = paths.ROOT
PACKAGE_JSON = ROOT / "package.json"
PACKAGE_LOCK = ROOT / "package-lock.json"
NODE_MODULES = ROOT / "node_modules"
VENDOR_DIR = paths.VENDOR_DIR
VENDOR_URL = "/app/static/vendor/"
INLINE_URL = "vendor://"
MANIFEST_NAME = ".manifest.json"


class AssetError(RuntimeError):
    """A vendored asset, its npm package or the package manifest is missing or inconsistent."""


@dataclass(frozen=True)
class Asset:
    """One JS or CSS file folium loads from a CDN, and where our local copy comes from.

    ``package``/``version``/``path`` name the file inside an npm package; ``package`` is ``None`` for a file this
    module writes itself (folium's awesome-rotate CSS, our Leaflet icon-path fix). ``url`` is ``None`` for a file
    folium does not ask for but ``localize`` adds. ``local_name`` is relative to ``static/vendor/``.
    ``extra`` lists more files the asset loads at run time (relative to ``path``'s folder, copied to the same
    place relative to ``local_name``); files a stylesheet names in ``url(...)`` are found without being listed.
    """

    url: str | None
    package: str | None
    version: str | None
    path: str
    local_name: str
    kind: Literal["js", "css"]
    extra: tuple[str, ...] = ()


_JSDELIVR = "https://cdn.jsdelivr.net"
_CDNJS_AWESOME = "https://cdnjs.cloudflare.com/ajax/libs/Leaflet.awesome-markers/2.0.2"
_FA = "@fortawesome/fontawesome-free"
_ROTATE_CSS_URL = f"{_JSDELIVR}/gh/python-visualization/folium/folium/templates/leaflet.awesome.rotate.min.css"

ASSETS: tuple[Asset, ...] = (
    # folium.Map.default_js
    Asset(
        f"{_JSDELIVR}/npm/leaflet@1.9.3/dist/leaflet.js",
        "leaflet",
        "1.9.3",
        "dist/leaflet.js",
        "leaflet/leaflet.js",
        "js",
        # L.Icon.Default loads these next to leaflet.css's images/marker-icon.png
        extra=("images/marker-icon-2x.png", "images/marker-shadow.png"),
    ),
    # not from folium: localize puts it right after leaflet.js (see static/leaflet-icon-path.js)
    Asset(None, None, None, "leaflet-icon-path.js", "leaflet/leaflet-icon-path.js", "js"),
    Asset(
        "https://code.jquery.com/jquery-3.7.1.min.js",
        "jquery",
        "3.7.1",
        "dist/jquery.min.js",
        "jquery/jquery.min.js",
        "js",
    ),
    Asset(
        f"{_JSDELIVR}/npm/bootstrap@5.2.2/dist/js/bootstrap.bundle.min.js",
        "bootstrap",
        "5.2.2",
        "dist/js/bootstrap.bundle.min.js",
        "bootstrap/bootstrap.bundle.min.js",
        "js",
    ),
    Asset(
        f"{_CDNJS_AWESOME}/leaflet.awesome-markers.js",
        "leaflet.awesome-markers",
        "2.0.5",
        "dist/leaflet.awesome-markers.js",
        "awesome-markers/leaflet.awesome-markers.js",
        "js",
    ),
    # folium.Map.default_css
    Asset(
        f"{_JSDELIVR}/npm/leaflet@1.9.3/dist/leaflet.css",
        "leaflet",
        "1.9.3",
        "dist/leaflet.css",
        "leaflet/leaflet.css",
        "css",
    ),
    Asset(
        f"{_JSDELIVR}/npm/bootstrap@5.2.2/dist/css/bootstrap.min.css",
        "bootstrap",
        "5.2.2",
        "dist/css/bootstrap.min.css",
        "bootstrap/bootstrap.min.css",
        "css",
    ),
    Asset(
        f"{_JSDELIVR}/npm/{_FA}@6.2.0/css/all.min.css",
        _FA,
        "6.2.0",
        "css/all.min.css",
        "fontawesome/css/all.min.css",
        "css",
    ),
    Asset(
        f"{_CDNJS_AWESOME}/leaflet.awesome-markers.css",
        "leaflet.awesome-markers",
        "2.0.5",
        "dist/leaflet.awesome-markers.css",
        "awesome-markers/leaflet.awesome-markers.css",
        "css",
    ),
    Asset(
        _ROTATE_CSS_URL,
        None,
        None,
        "leaflet.awesome.rotate.min.css",
        "awesome-rotate/leaflet.awesome.rotate.min.css",
        "css",
    ),
    # folium.plugins.Fullscreen
    Asset(
        f"{_JSDELIVR}/npm/leaflet.fullscreen@3.0.0/Control.FullScreen.min.js",
        "leaflet.fullscreen",
        "3.0.0",
        "Control.FullScreen.js",
        "fullscreen/Control.FullScreen.js",
        "js",
    ),
    Asset(
        f"{_JSDELIVR}/npm/leaflet.fullscreen@3.0.0/Control.FullScreen.css",
        "leaflet.fullscreen",
        "3.0.0",
        "Control.FullScreen.css",
        "fullscreen/Control.FullScreen.css",
        "css",
    ),
    # folium.plugins.MeasureControl
    Asset(
        f"{_JSDELIVR}/gh/ljagis/leaflet-measure@2.1.7/dist/leaflet-measure.min.js",
        "leaflet-measure",
        "2.1.7",
        "dist/leaflet-measure.min.js",
        "leaflet-measure/leaflet-measure.min.js",
        "js",
    ),
    Asset(
        f"{_JSDELIVR}/gh/ljagis/leaflet-measure@2.1.7/dist/leaflet-measure.min.css",
        "leaflet-measure",
        "2.1.7",
        "dist/leaflet-measure.css",
        "leaflet-measure/leaflet-measure.css",
        "css",
    ),
    # folium.plugins.MousePosition
    Asset(
        f"{_JSDELIVR}/gh/ardhi/Leaflet.MousePosition/src/L.Control.MousePosition.min.js",
        "leaflet-mouse-position",
        "1.2.0",
        "src/L.Control.MousePosition.js",
        "mouse-position/L.Control.MousePosition.js",
        "js",
    ),
    Asset(
        f"{_JSDELIVR}/gh/ardhi/Leaflet.MousePosition/src/L.Control.MousePosition.min.css",
        "leaflet-mouse-position",
        "1.2.0",
        "src/L.Control.MousePosition.css",
        "mouse-position/L.Control.MousePosition.css",
        "css",
    ),
)

NOT_VENDORED: Mapping[str, str] = {
    "https://netdna.bootstrapcdn.com/bootstrap/3.0.0/css/bootstrap-glyphicons.css": (
        "Bootstrap 3 glyphicons: only for markers with prefix='glyphicon' (and TimestampedGeoJson's controls); "
        "we use Font Awesome icons"
    ),
}

_BY_URL: dict[str, Asset] = {a.url: a for a in ASSETS if a.url is not None}
_BY_LOCAL: dict[str, Asset] = {a.local_name: a for a in ASSETS}

# folium's leaflet.awesome.rotate.min.css: a class per whole degree, used by Marker icons with ``angle=``.
_ROTATE_CSS = (
    "".join(
        f".fa-rotate-{n}{{-ms-transform:rotate({n}deg);-webkit-transform:rotate({n}deg);transform:rotate({n}deg)}}"
        for n in range(361)
    )
    + "\n"
)

# Leaflet finds its default marker icon through leaflet.css; streamlit-folium runs the map script before that
# stylesheet applies, and Leaflet 1.9.3's fallback then asks for ".../leafletmarker-icon.png" (404). Loaded right
# after leaflet.js, this points Leaflet at the images folder next to the script (a no-op when inlined).
_LEAFLET_JS = "leaflet/leaflet.js"
_ICON_PATH_NAME = "leaflet/leaflet-icon-path.js"
_GENERATED: dict[str, str] = {
    "awesome-rotate/leaflet.awesome.rotate.min.css": _ROTATE_CSS,
    _ICON_PATH_NAME: static_text("leaflet-icon-path.js"),
}

_CSS_URL = re.compile(r"""url\(\s*(?P<q>['"]?)(?P<ref>[^'")]*)(?P=q)\s*\)""")
_MIME = {
    ".png": "image/png",
    ".gif": "image/gif",
    ".svg": "image/svg+xml",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".woff2": "font/woff2",
    ".woff": "font/woff",
    ".ttf": "font/ttf",
    ".eot": "application/vnd.ms-fontobject",
    ".otf": "font/otf",
}


# ---------------------------------------------------------------------------------------------------------------
# files


def _file_ref(ref: str) -> str | None:
    """The file a ``url(...)`` reference names relative to its stylesheet (no query/fragment), else None."""
    ref = ref.strip()
    if not ref or ref.startswith(("#", "/")) or ":" in ref:  # fragments, absolute paths, data:/http:/... URLs
        return None
    return ref.split("#", 1)[0].split("?", 1)[0] or None


def _css_refs(css: str) -> list[str]:
    """The relative file references of a stylesheet's ``url(...)``s, without query or fragment, in order."""
    refs: list[str] = []
    for match in _CSS_URL.finditer(css):
        ref = _file_ref(match["ref"])
        if ref is not None and ref not in refs:
            refs.append(ref)
    return refs


def _support_name(asset: Asset, ref: str) -> str:
    """The local name of a file ``ref`` that ``asset``'s CSS refers to (kept relative to the CSS, as on the CDN)."""
    parts: list[str] = []
    for part in PurePosixPath(asset.local_name).parent.joinpath(ref).parts:
        if part == "..":
            if not parts:
                raise AssetError(f"{asset.local_name} refers to {ref!r}, outside the vendor folder")
            parts.pop()
        elif part != ".":
            parts.append(part)
    return "/".join(parts)


def _package_dir(package: str) -> Path:
    return NODE_MODULES.joinpath(*package.split("/"))


def _source_bytes(asset: Asset) -> bytes:
    """The content of ``asset`` from node_modules (or generated)."""
    if asset.package is None:
        return _GENERATED[asset.local_name].encode()
    path = _package_dir(asset.package) / asset.path
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise AssetError(
            f"npm package {asset.package}@{asset.version} has no {asset.path} "
            f"(looked for {path}); needed for {asset.url}"
        ) from None


def _wanted_files() -> dict[str, bytes]:
    """Every local name to install, with its content, read from node_modules."""
    files: dict[str, bytes] = {}
    for asset in ASSETS:
        data = _source_bytes(asset)
        files[asset.local_name] = data
        refs = list(asset.extra) + (_css_refs(data.decode("utf-8")) if asset.kind == "css" else [])
        for ref in refs:
            name = _support_name(asset, ref)
            if asset.package is None:
                raise AssetError(f"generated {asset.local_name} must not refer to files ({ref})")
            src = (_package_dir(asset.package) / asset.path).parent / ref
            try:
                files[name] = src.read_bytes()
            except FileNotFoundError:
                raise AssetError(
                    f"{asset.package}@{asset.version}/{asset.path} needs {ref}, which the package does not have ({src})"
                ) from None
    return files


def _spec_id() -> str:
    """A fingerprint of what ASSETS asks for; a change makes ``install`` redo its work."""
    spec = [[a.url, a.package, a.version, a.path, a.local_name, a.kind, list(a.extra)] for a in ASSETS]
    text = json.dumps([spec, sorted(_GENERATED.items())])
    return hashlib.sha256(text.encode()).hexdigest()


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _read_manifest(target: Path) -> dict[str, Any]:
    try:
        manifest = json.loads((target / MANIFEST_NAME).read_text())
    except (OSError, ValueError):
        return {}
    return manifest if isinstance(manifest, dict) else {}


def _up_to_date(target: Path, manifest: Mapping[str, Any]) -> bool:
    """``target`` holds exactly the files the manifest lists, for the current ASSETS."""
    files = manifest.get("files")
    if manifest.get("spec") != _spec_id() or not isinstance(files, dict) or not files:
        return False
    for name, digest in files.items():
        try:
            if _sha256((target / name).read_bytes()) != digest:
                return False
        except OSError:
            return False
    return not missing(target=target)


def _write_atomic(path: Path, data: bytes) -> None:
    """Write a real file (replacing a symlink, if any) without a moment where a reader sees half of it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    atomic.write_atomic(path, data)


# ---------------------------------------------------------------------------------------------------------------
# npm


def _required_packages() -> dict[str, str]:
    """The npm packages ASSETS needs, with their versions; an inconsistent ASSETS is an error."""
    packages: dict[str, str] = {}
    for asset in ASSETS:
        if asset.package is None:
            continue
        assert asset.version is not None
        if packages.setdefault(asset.package, asset.version) != asset.version:
            raise AssetError(f"ASSETS wants two versions of {asset.package}")
    return packages


def _check_package_json() -> dict[str, str]:
    """The repo-root package.json's dependencies, checked against ASSETS."""
    try:
        manifest = json.loads(PACKAGE_JSON.read_text())
    except FileNotFoundError:
        raise AssetError(f"{PACKAGE_JSON} is missing; it lists the npm packages to vendor") from None
    except ValueError as exc:
        raise AssetError(f"{PACKAGE_JSON} is not valid JSON: {exc}") from None
    declared: dict[str, str] = manifest.get("dependencies") or {}
    for package, version in _required_packages().items():
        if package not in declared:
            raise AssetError(f"{PACKAGE_JSON} does not list {package} (ASSETS needs {package}@{version})")
        if declared[package] != version:
            raise AssetError(
                f"{PACKAGE_JSON} pins {package}@{declared[package]}, but ASSETS needs exactly {package}@{version}"
            )
    return declared


def _installed_version(package: str) -> str | None:
    try:
        return json.loads((_package_dir(package) / "package.json").read_text()).get("version")
    except (OSError, ValueError):
        return None


def _stale_packages(declared: Mapping[str, str]) -> list[str]:
    return [f"{p}@{v}" for p, v in declared.items() if _installed_version(p) != v]


def _ensure_node_modules(*, quiet: bool) -> None:
    """Make ``<repo>/node_modules`` hold the packages of package.json, running npm only when needed."""
    declared = _check_package_json()
    if not _stale_packages(declared):
        return
    npm = shutil.which("npm")
    if npm is None:
        raise AssetError(
            "npm is not installed (Debian: apt-get install nodejs npm); it is needed to fetch "
            + ", ".join(_stale_packages(declared))
        )
    command = [
        npm,
        "ci" if PACKAGE_LOCK.exists() else "install",
        "--no-audit",
        "--no-fund",
        "--ignore-scripts",
        "--loglevel",
        "error",
    ]
    result = subprocess.run(command, cwd=ROOT, capture_output=quiet, text=True)
    if result.returncode != 0:
        detail = (result.stderr or result.stdout or "").strip()[-2000:] if quiet else ""
        raise AssetError(
            f"`{' '.join(command[1:])}` in {ROOT} failed (exit {result.returncode})"
            + (f":\n{detail}" if detail else "")
        )
    stale = _stale_packages(declared)
    if stale:
        raise AssetError(f"npm ran but these packages are still not in {NODE_MODULES}: {', '.join(stale)}")


# ---------------------------------------------------------------------------------------------------------------
# public: install / missing


def install(*, target: Path = VENDOR_DIR, quiet: bool = True) -> list[Path]:
    """Install every vendored file into ``target``; return the files written (empty when already current).

    Runs ``npm ci`` (``npm install`` without a lock) in the repo root only when ``node_modules`` lacks a package
    or holds another version. Raises ``AssetError`` naming the missing file or package.
    """
    target = Path(target)
    manifest = _read_manifest(target)
    if _up_to_date(target, manifest):
        return []
    _ensure_node_modules(quiet=quiet)
    files = _wanted_files()
    written: list[Path] = []
    for name, data in files.items():
        path = target / name
        if path.is_symlink() or not path.is_file() or path.read_bytes() != data:
            _write_atomic(path, data)
            written.append(path)
    old_files = manifest.get("files")
    old = old_files if isinstance(old_files, dict) else {}
    for name in set(old) - set(files):  # files an earlier ASSETS needed; never touch anything else
        (target / name).unlink(missing_ok=True)
    new_manifest = {"spec": _spec_id(), "files": {n: _sha256(d) for n, d in sorted(files.items())}}
    _write_atomic(target / MANIFEST_NAME, (json.dumps(new_manifest, indent=1) + "\n").encode())
    return written


def missing(*, target: Path = VENDOR_DIR) -> list[str]:
    """Local names (relative to ``target``) of the files not installed yet, including the fonts and images the
    installed stylesheets refer to. Needs no npm: it only looks at ``target``."""
    target = Path(target)
    absent: list[str] = []
    for asset in ASSETS:
        path = target / asset.local_name
        if not path.is_file():
            absent.append(asset.local_name)
            continue
        refs = list(asset.extra) + (_css_refs(path.read_text(encoding="utf-8")) if asset.kind == "css" else [])
        for ref in refs:
            name = _support_name(asset, ref)
            if not (target / name).is_file() and name not in absent:
                absent.append(name)
    return absent


# ---------------------------------------------------------------------------------------------------------------
# public: localize


def _walk(element: Any) -> Iterator[Any]:
    """``element`` and all its descendants (anything with ``_children``, and DualMap's two maps), each once."""
    seen: set[int] = set()
    stack = [element]
    while stack:
        elem = stack.pop()
        if id(elem) in seen:
            continue
        seen.add(id(elem))
        yield elem
        children = list(getattr(elem, "_children", {}).values())
        children += [
            m
            for m in (getattr(elem, "m1", None), getattr(elem, "m2", None))  # plugins.DualMap
            if m is not None and hasattr(m, "_children")
        ]
        stack.extend(reversed(children))


def _is_remote(url: str) -> bool:
    return url.strip().lower().startswith(("http:", "https:", "//", "ftp:", "ws:", "wss:"))


def _local_url(url: str, base_url: str) -> str | None:
    """The local URL for ``url``, ``url`` itself if it needs no change, or None if it must be dropped."""
    asset = _BY_URL.get(url)
    if asset is not None:
        return base_url + asset.local_name
    for prefix in {base_url, VENDOR_URL, INLINE_URL}:  # an earlier localize, maybe with another base_url
        if url.startswith(prefix) and url[len(prefix) :] in _BY_LOCAL:
            return base_url + url[len(prefix) :]
    return None if _is_remote(url) else url


def localize(element: Any, *, base_url: str = VENDOR_URL) -> list[str]:
    """Point every JS/CSS link of a folium element tree at our local copies; return the URLs dropped.

    Walks ``element`` and its descendants; for each one that has ``default_js``/``default_css`` (folium's
    ``JSCSSMixin``; these are usually class attributes) sets *instance* attributes in which every known CDN URL
    is replaced by ``base_url + local_name`` and every remote URL we have no copy of is left out (so no request
    leaves the machine). Classes are never changed. Links already in the root ``Figure``'s header (from an
    earlier render) are rewritten or removed the same way. Call it after adding all elements and before
    rendering (``st_folium``, ``Map.save`` and ``get_root().render()`` all read these lists).
    """
    from branca.element import Figure, Link

    dropped: list[str] = []

    def note(url: str) -> None:
        if url not in dropped:
            dropped.append(url)

    def rewrite_links(elem: Any) -> None:
        for attr in ("default_js", "default_css"):
            links = getattr(elem, attr, None)
            if not isinstance(links, (list, tuple)):
                continue
            new: list[tuple[str, str]] = []
            for name, url in links:
                local = _local_url(url, base_url)
                if local is None:
                    note(url)
                elif local != base_url + _ICON_PATH_NAME:  # re-added below, right after leaflet.js
                    new.append((name, local))
                    if local == base_url + _LEAFLET_JS:
                        new.append(("leaflet_icon_path", base_url + _ICON_PATH_NAME))
            setattr(elem, attr, new)

    def rewrite_header(top: Any) -> None:
        for parent in list(_walk(top)):
            for key, child in list(getattr(parent, "_children", {}).items()):
                if isinstance(child, Link) and isinstance(getattr(child, "url", None), str):
                    local = _local_url(child.url, base_url)
                    if local is None:
                        note(child.url)
                        del parent._children[key]
                    else:
                        child.url = local

    for elem in _walk(element):
        rewrite_links(elem)
    rewrite_header(element)
    root = element.get_root() if hasattr(element, "get_root") else element
    if isinstance(root, Figure) and root is not element:
        rewrite_header(root.header)
    return dropped


# ---------------------------------------------------------------------------------------------------------------
# public: inline_html

_SCRIPT_TAG = re.compile(r"""<script\b[^>]*?\bsrc\s*=\s*(['"])(?P<url>[^'"]*)\1[^>]*>\s*</script\s*>""", re.I)
_LINK_TAG = re.compile(r"""<link\b[^>]*>""", re.I)
_ATTR = re.compile(r"""\b(?P<name>[a-zA-Z-]+)\s*=\s*(['"])(?P<value>[^'"]*)\2""")
_SOURCE_MAP = re.compile(r"""(?m)^[ \t]*//[#@] sourceMappingURL=\S*[ \t]*$|/\*[#@] sourceMappingURL=[^*]*\*/""")
_FONT_FACE = re.compile(r"@font-face\s*\{[^}]*\}", re.I)
_FONT_SRC = re.compile(r"(?P<head>(?<![-\w])src\s*:)(?P<value>[^;}]*)", re.I)

# After inlining, Leaflet cannot find its default marker icon (it derives the folder from leaflet.css's URL),
# so give it the images as data: URLs.
_LEAFLET_ICON_FIX = (
    "L.Icon.Default.imagePath='';L.Icon.Default.mergeOptions({{iconUrl:'{icon}',"
    "iconRetinaUrl:'{retina}',shadowUrl:'{shadow}'}});"
)


def _data_url(path: Path) -> str:
    mime = _MIME.get(path.suffix.lower(), "application/octet-stream")
    return f"data:{mime};base64,{base64.b64encode(path.read_bytes()).decode('ascii')}"


def _split_top_level(value: str) -> list[str]:
    """Split a CSS value on commas that are not inside parentheses or quotes."""
    parts: list[str] = []
    depth, quote, start = 0, "", 0
    for i, ch in enumerate(value):
        if quote:
            quote = "" if ch == quote else quote
        elif ch in "'\"":
            quote = ch
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif ch == "," and depth == 0:
            parts.append(value[start:i])
            start = i + 1
    parts.append(value[start:])
    return [p.strip() for p in parts if p.strip()]


def _slim_fonts(css: str) -> str:
    """Keep only the woff2 entries of each ``@font-face`` ``src`` list that has one, and drop the faces whose
    fonts an earlier face already uses (Font Awesome's "Font Awesome 5 *"/"FontAwesome" aliases), so that each
    font is embedded once."""
    seen: set[str] = set()

    def fix_face(face: re.Match[str]) -> str:
        used: set[str] = set()

        def fix_src(match: re.Match[str]) -> str:
            entries = _split_top_level(match["value"])
            woff2 = [e for e in entries if 'format("woff2")' in e.replace("'", '"') or ".woff2" in e]
            kept = woff2 or entries
            used.update(ref for e in kept for m in _CSS_URL.finditer(e) if (ref := _file_ref(m["ref"])))
            return match["head"] + ",".join(kept)

        block = _FONT_SRC.sub(fix_src, face.group(0))
        if used and used <= seen:
            return ""
        seen.update(used)
        return block

    return _FONT_FACE.sub(fix_face, css)


def _inline_css(asset: Asset, source: Path) -> str:
    css = _SOURCE_MAP.sub("", _read_local(asset, source))
    css = _slim_fonts(css)
    css_dir = PurePosixPath(asset.local_name).parent

    def to_data(match: re.Match[str]) -> str:
        ref = _file_ref(match["ref"])
        if ref is None:
            return match.group(0)
        path = source / _support_name(asset, ref)
        if not path.is_file():
            raise AssetError(
                f"{path} is missing ({css_dir / ref}, used by {asset.local_name}); "
                "run `python -m kupiansk_map.web.assets install`"
            )
        return f'url("{_data_url(path)}")'

    return re.sub(r"</(style)", r"<\\/\1", _CSS_URL.sub(to_data, css), flags=re.I)


def _read_local(asset: Asset, source: Path) -> str:
    path = source / asset.local_name
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise AssetError(f"{path} is missing; run `python -m kupiansk_map.web.assets install`") from None


def _inline_js(asset: Asset, source: Path) -> str:
    js = _SOURCE_MAP.sub("", _read_local(asset, source))
    if asset.local_name == _LEAFLET_JS:
        images = source / "leaflet" / "images"
        names = {"icon": "marker-icon.png", "retina": "marker-icon-2x.png", "shadow": "marker-shadow.png"}
        if all((images / n).is_file() for n in names.values()):
            js += "\n" + _LEAFLET_ICON_FIX.format(**{k: _data_url(images / n) for k, n in names.items()})
    return re.sub(r"</(script)", r"<\\/\1", js, flags=re.I)


def _marked_asset(url: str, kind: str) -> Asset | None:
    if not url.startswith(INLINE_URL):
        return None
    asset = _BY_LOCAL.get(url[len(INLINE_URL) :])
    if asset is None or asset.kind != kind:
        raise AssetError(f"{url} is not a vendored {kind} file (known: {', '.join(sorted(_BY_LOCAL))})")
    return asset


def inline_html(html: str, *, source: Path = VENDOR_DIR) -> str:
    """Replace the page's ``<script src="vendor://...">`` and ``<link rel="stylesheet" href="vendor://...">``
    tags with the files' content from ``source``.

    Use on ``Map.get_root().render()`` after ``localize(m, base_url=INLINE_URL)``. Stylesheets get their images
    and fonts as ``data:`` URLs (Font Awesome: woff2 only), source-map comments are removed, and Leaflet's
    default marker icon is made to work without a folder to load it from. Tags that point elsewhere are left as
    they are. Raises ``AssetError`` for a marked file that is unknown or not installed. Font Awesome's legacy
    family aliases ("Font Awesome 5 Free", "FontAwesome") are left out so each font is embedded once; folium's
    icons use the "Font Awesome 6" families.
    """
    source = Path(source)
    cache: dict[str, str] = {}

    def script(match: re.Match[str]) -> str:
        asset = _marked_asset(match["url"], "js")
        if asset is None:
            return match.group(0)
        if asset.local_name not in cache:
            cache[asset.local_name] = _inline_js(asset, source)
        return f"<script>/* {asset.local_name} */\n{cache[asset.local_name]}\n</script>"

    def link(match: re.Match[str]) -> str:
        attrs = {m["name"].lower(): m["value"] for m in _ATTR.finditer(match.group(0))}
        if "stylesheet" not in attrs.get("rel", "").lower().split():
            return match.group(0)
        asset = _marked_asset(attrs.get("href", ""), "css")
        if asset is None:
            return match.group(0)
        if asset.local_name not in cache:
            cache[asset.local_name] = _inline_css(asset, source)
        return f"<style>/* {asset.local_name} */\n{cache[asset.local_name]}\n</style>"

    # Replace link tags first: a <script> body could in principle contain "<link" text.
    html = _LINK_TAG.sub(link, html)
    return _SCRIPT_TAG.sub(script, html)


# ---------------------------------------------------------------------------------------------------------------
# command line


def _main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m kupiansk_map.web.assets",
        description="Vendor folium's JS/CSS into static/vendor/ for offline use.",
    )
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("install", help="npm ci (when needed) and copy the files into the vendor folder")
    p.add_argument("--target", type=Path, default=VENDOR_DIR, help="vendor folder (default: %(default)s)")
    p.add_argument("--verbose", action="store_true", help="show npm's output")
    p = sub.add_parser("check", help="exit 1 listing the files missing from the vendor folder")
    p.add_argument("--target", type=Path, default=VENDOR_DIR, help="vendor folder (default: %(default)s)")
    args = parser.parse_args(argv)

    if args.command == "install":
        try:
            written = install(target=args.target, quiet=not args.verbose)
        except AssetError as exc:
            print(f"assets install failed: {exc}", file=sys.stderr)
            return 1
        if written:
            print(f"vendored assets: wrote {len(written)} file(s) to {args.target}")
        else:
            print(f"vendored assets: {args.target} is up to date")
        return 0
    absent = missing(target=args.target)
    if absent:
        print(
            f"{len(absent)} vendored file(s) missing from {args.target}; "
            "run `python -m kupiansk_map.web.assets install`:",
            file=sys.stderr,
        )
        for name in absent:
            print(f"  {name}", file=sys.stderr)
        return 1
    print(f"all vendored files present in {args.target}")
    return 0


if __name__ == "__main__":
    sys.exit(_main())
