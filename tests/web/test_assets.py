"""The vendored front-end assets: ASSETS covers folium's CDN files, install/missing, localize and inline_html."""

from __future__ import annotations

import copy
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import folium
import pytest
from folium import plugins

from kupiansk_map.web import assets
from kupiansk_map.web.assets import (
    ASSETS,
    INLINE_URL,
    NOT_VENDORED,
    VENDOR_URL,
    AssetError,
    inline_html,
    install,
    localize,
    missing,
)

ROOT = Path(__file__).resolve().parents[2]
PLUGINS = (plugins.Fullscreen, plugins.MeasureControl, plugins.MousePosition)
POLYGON = {
    "type": "FeatureCollection",
    "features": [
        {
            "type": "Feature",
            "properties": {"name": "a"},
            "geometry": {"type": "Polygon", "coordinates": [[[37.5, 49.6], [37.7, 49.6], [37.7, 49.8], [37.5, 49.6]]]},
        }
    ],
}
TAG_URL = re.compile(r"""<(?:script|link)\b[^>]*?\b(?:src|href)\s*=\s*["']([^"']*)["']""", re.I)


class _Tags(HTMLParser):
    """Counts script and style tags the way a browser parses them (their bodies are raw text)."""

    def __init__(self) -> None:
        super().__init__()
        self.script_starts = self.script_ends = self.style_starts = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.script_starts += tag == "script"
        self.style_starts += tag == "style"

    def handle_endtag(self, tag: str) -> None:
        self.script_ends += tag == "script"


def _map(*, with_plugins: bool = True) -> folium.Map:
    m = folium.Map(location=[49.7, 37.6], zoom_start=10, tiles=None)
    folium.GeoJson(POLYGON, tooltip="a", popup=folium.GeoJsonPopup(["name"])).add_to(m)
    folium.Marker([49.7, 37.6], icon=folium.Icon(icon="flag", prefix="fa")).add_to(m)
    if with_plugins:
        for plugin in PLUGINS:
            plugin().add_to(m)
    return m


def _class_urls() -> list[str]:
    return [
        url for cls in (folium.Map, *PLUGINS) for attr in ("default_js", "default_css") for _, url in getattr(cls, attr)
    ]


@pytest.fixture(scope="module")
def vendor(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A complete vendor folder of this test module's own (the real static/vendor is left alone)."""
    target = tmp_path_factory.mktemp("vendor")
    install(target=target)
    return target


# --- ASSETS ---------------------------------------------------------------------------------------------------


def test_every_cdn_url_of_the_map_and_our_plugins_is_vendored_or_deliberately_dropped() -> None:
    urls = _class_urls()
    assert len(urls) == 16
    known = {a.url for a in ASSETS}
    unaccounted = [u for u in urls if u not in known and u not in NOT_VENDORED]
    assert unaccounted == []
    assert set(NOT_VENDORED) <= set(urls), "NOT_VENDORED lists a URL folium no longer uses"
    assert all(a.url in urls for a in ASSETS if a.url is not None), "ASSETS has a URL folium no longer uses"


def test_assets_are_well_formed() -> None:
    local_names = [a.local_name for a in ASSETS]
    assert len(set(local_names)) == len(local_names)
    for asset in ASSETS:
        assert asset.kind in ("js", "css")
        assert asset.local_name.endswith(f".{asset.kind}")
        assert not asset.local_name.startswith(("/", ".")) and ".." not in asset.local_name
        assert (asset.package is None) == (asset.version is None)
    with pytest.raises(AttributeError):
        ASSETS[0].url = "x"  # type: ignore[misc]


def test_package_json_and_lock_pin_exactly_the_asset_versions() -> None:
    wanted = {a.package: a.version for a in ASSETS if a.package}
    declared = json.loads((ROOT / "package.json").read_text())["dependencies"]
    assert declared == wanted
    lock = json.loads((ROOT / "package-lock.json").read_text())
    assert lock["packages"][""]["dependencies"] == wanted
    for package, version in wanted.items():
        assert lock["packages"][f"node_modules/{package}"]["version"] == version


def test_a_package_json_that_disagrees_with_assets_is_an_error_naming_the_package(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    declared = json.loads((ROOT / "package.json").read_text())
    declared["dependencies"]["leaflet"] = "1.9.4"
    (tmp_path / "package.json").write_text(json.dumps(declared))
    monkeypatch.setattr(assets, "PACKAGE_JSON", tmp_path / "package.json")
    with pytest.raises(AssetError, match=r"leaflet@1\.9\.4.*leaflet@1\.9\.3"):
        install(target=tmp_path / "vendor")
    assert not (tmp_path / "vendor").exists()


# --- install / missing ----------------------------------------------------------------------------------------


def test_install_copies_real_files_with_their_fonts_and_images(vendor: Path) -> None:
    assert missing(target=vendor) == []
    for asset in ASSETS:
        path = vendor / asset.local_name
        assert path.is_file() and not path.is_symlink() and path.stat().st_size > 0
    fonts = sorted(p.name for p in (vendor / "fontawesome" / "webfonts").iterdir())
    assert "fa-solid-900.woff2" in fonts and "fa-regular-400.woff2" in fonts
    assert (vendor / "leaflet" / "images" / "layers.png").is_file()
    assert (vendor / "leaflet" / "images" / "marker-shadow.png").is_file()  # used by JS, not CSS
    assert (vendor / "awesome-markers" / "images" / "markers-soft.png").is_file()
    rotate = (vendor / "awesome-rotate" / "leaflet.awesome.rotate.min.css").read_text()
    assert ".fa-rotate-45{" in rotate and ".fa-rotate-360{" in rotate
    assert not [p for p in vendor.rglob("*") if p.is_symlink()]
    size = sum(p.stat().st_size for p in vendor.rglob("*") if p.is_file())
    assert 1_500_000 < size < 3_500_000


def test_install_is_idempotent(vendor: Path) -> None:
    before = {p: p.stat().st_mtime_ns for p in vendor.rglob("*") if p.is_file()}
    assert install(target=vendor) == []
    assert {p: p.stat().st_mtime_ns for p in vendor.rglob("*") if p.is_file()} == before  # nothing rewritten


def test_install_rewrites_only_what_changed(vendor: Path) -> None:
    leaflet = vendor / "leaflet" / "leaflet.js"
    good = leaflet.read_bytes()
    leaflet.write_text("// damaged")
    (vendor / "fontawesome" / "webfonts" / "fa-solid-900.woff2").unlink()
    assert sorted(missing(target=vendor)) == ["fontawesome/webfonts/fa-solid-900.woff2"]
    written = install(target=vendor)
    assert sorted(p.relative_to(vendor).as_posix() for p in written) == [
        "fontawesome/webfonts/fa-solid-900.woff2",
        "leaflet/leaflet.js",
    ]
    assert leaflet.read_bytes() == good
    assert missing(target=vendor) == [] and install(target=vendor) == []


def test_missing_lists_everything_for_an_empty_folder(tmp_path: Path) -> None:
    assert missing(target=tmp_path) == [a.local_name for a in ASSETS]


def test_check_command_exits_1_listing_missing_files(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], vendor: Path
) -> None:
    assert assets._main(["check", "--target", str(tmp_path)]) == 1
    assert "leaflet/leaflet.js" in capsys.readouterr().err
    assert assets._main(["check", "--target", str(vendor)]) == 0


# --- localize -------------------------------------------------------------------------------------------------


def test_localize_rewrites_instance_attributes_and_leaves_classes_alone() -> None:
    before = {cls: (copy.deepcopy(cls.default_js), copy.deepcopy(cls.default_css)) for cls in (folium.Map, *PLUGINS)}
    m = _map()
    dropped = localize(m)
    assert dropped == list(NOT_VENDORED)
    for cls, (js, css) in before.items():
        assert cls.default_js == js and cls.default_css == css
    assert "default_js" in vars(m) and "default_css" in vars(m)
    for elem in (m, *[c for c in m._children.values() if isinstance(c, PLUGINS)]):
        for _, url in [*elem.default_js, *elem.default_css]:
            assert url.startswith(VENDOR_URL), url
    # Leaflet's icon-path helper follows leaflet.js.
    js = [url for _, url in m.default_js]
    assert js[:2] == [VENDOR_URL + "leaflet/leaflet.js", VENDOR_URL + "leaflet/leaflet-icon-path.js"]
    # A fresh map is untouched by the earlier call.
    assert folium.Map(tiles=None).default_js is folium.Map.default_js


def test_localize_is_idempotent_and_can_switch_base_url() -> None:
    m = _map()
    localize(m)
    first = list(m.default_js)
    assert localize(m) == []
    assert m.default_js == first
    assert localize(m, base_url=INLINE_URL) == []
    assert [url for _, url in m.default_js] == [url.replace(VENDOR_URL, INLINE_URL) for _, url in first]


def test_rendered_page_has_only_local_script_and_link_tags() -> None:
    m = _map()
    m.get_root().render()  # rendered once before: the figure header already holds CDN links
    assert localize(m) == list(NOT_VENDORED)
    html = m.get_root().render()
    urls = TAG_URL.findall(html)
    assert len(urls) == 16  # folium's 16 minus glyphicons, plus Leaflet's icon-path helper
    assert all(url.startswith(VENDOR_URL) for url in urls), urls


def test_localize_drops_unknown_remote_urls_but_keeps_local_ones() -> None:
    m = _map(with_plugins=False)
    extra = plugins.Fullscreen()
    extra.default_js = [("x", "https://cdn.example.invalid/x.js"), ("own", "/app/static/own.js")]
    extra.add_to(m)
    assert sorted(localize(m)) == sorted(["https://cdn.example.invalid/x.js", *NOT_VENDORED])
    assert extra.default_js == [("own", "/app/static/own.js")]


# --- inline_html ----------------------------------------------------------------------------------------------


def test_inline_html_leaves_no_external_tags_and_stays_small(vendor: Path) -> None:
    m = _map()
    localize(m, base_url=INLINE_URL)
    html = inline_html(m.get_root().render(), source=vendor)
    assert TAG_URL.findall(html) == []
    assert INLINE_URL not in html
    assert "sourceMappingURL" not in html
    tags = _Tags()
    tags.feed(html)
    assert tags.script_starts == tags.script_ends == 10  # 8 inlined files + folium's 2 scripts
    assert tags.style_starts == 8 + 4  # 8 inlined stylesheets + folium's 4 <style>s
    assert 'format("truetype")' not in html and ".ttf" not in html
    # Font Awesome 6's three fonts and the v4-compatibility one, each embedded once.
    assert html.count("data:font/woff2;base64,") == 4
    assert 1_000_000 < len(html.encode()) < 2_000_000


def test_inline_html_without_plugins_is_smaller(vendor: Path) -> None:
    m = _map(with_plugins=False)
    localize(m, base_url=INLINE_URL)
    html = inline_html(m.get_root().render(), source=vendor)
    assert TAG_URL.findall(html) == []
    assert len(html.encode()) < 1_800_000


def test_inline_html_names_a_missing_file(tmp_path: Path) -> None:
    m = _map(with_plugins=False)
    localize(m, base_url=INLINE_URL)
    with pytest.raises(AssetError, match=r"leaflet/leaflet\.js is missing|leaflet\.css is missing"):
        inline_html(m.get_root().render(), source=tmp_path)
    with pytest.raises(AssetError, match="not a vendored js file"):
        inline_html(f'<script src="{INLINE_URL}nope.js"></script>', source=tmp_path)


def test_inline_html_leaves_other_tags_alone(vendor: Path) -> None:
    page = '<link rel="icon" href="x.png"><script src="own.js"></script><p>x</p>'
    assert inline_html(page, source=vendor) == page
