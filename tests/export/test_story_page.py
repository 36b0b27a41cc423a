"""The story page and the static site: self-contained, small, complete, and safe with hostile text."""

from __future__ import annotations

import copy
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from kupiansk_map.export.site import SITE_MARKER, SiteError, map_page_name, site_files, write_site
from kupiansk_map.export.story_page import MAX_BYTES, map_html, story_html, story_payload
from kupiansk_map.layers.build import DATA_DIR
from kupiansk_map.story.chapters import STORY_PATH, load_story, parse_story
from kupiansk_map.web.style import feature_style
from kupiansk_map.web.views import DEFAULT_STATE, VIEWS, timeline_dates

HOSTILE_TITLE = "</script><script>window.__pwned='title'</script>Kupiansk & <b>co</b>"
HOSTILE_NARRATION = (
    "First <img src=x onerror=\"window.__pwned='narration'\"> sentence. Second sentence with </script> inside."
)
HOSTILE_SOURCE = "<a href=\"javascript:window.__pwned='source'\">Reuters, 14 Nov 2024</a>"
HOSTILE_NAME = "<b onmouseover=\"window.__pwned='label'\">Kup</b>"


@pytest.fixture(scope="module")
def story():
    return load_story()


@pytest.fixture(scope="module")
def pages(layers, story) -> dict[str, str]:
    return {lang: story_html(layers, story, lang=lang) for lang in ("en", "uk")}


def payload_of(html: str) -> dict:
    match = re.search(r'<script type="application/json" id="km-story">(.*?)</script>', html, re.S)
    assert match, "the page carries its data in a JSON script element"
    return json.loads(match.group(1))


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def tags_of(html: str) -> list[tuple[str, dict]]:
    parser = _Tags()
    parser.feed(html)
    return parser.tags


def hostile_story():
    raw = json.loads(STORY_PATH.read_text(encoding="utf-8"))
    raw["title"]["en"] = HOSTILE_TITLE
    raw["chapters"][0]["title"]["en"] = HOSTILE_TITLE
    raw["chapters"][0]["narration"]["en"] = HOSTILE_NARRATION
    raw["chapters"][0]["sources"] = [HOSTILE_SOURCE]
    return parse_story(raw)


def hostile_layers(layers):
    changed = copy.deepcopy(layers)
    for feat in changed["places"]["features"]:
        if feat["properties"]["id"] == "kupiansk":
            feat["properties"]["name"] = HOSTILE_NAME
    for feat in changed["events"]["features"]:
        if feat["properties"]["id"] == "assault-2024-11-13":
            feat["properties"]["note"] = "<script>window.__pwned='note'</script>"
    return changed


# ---------------------------------------------------------------------------------------------------------------
# the story page


@pytest.mark.parametrize("lang", ["en", "uk"])
def test_the_page_is_small_and_self_contained(pages, lang):
    html = pages[lang]
    assert len(html.encode("utf-8")) < MAX_BYTES == 3_000_000
    tags = tags_of(html)
    assert not [a for tag, a in tags if tag == "script" and "src" in a], "every script is inline"
    assert not [a for tag, a in tags if tag == "link"], "every stylesheet is inline"
    assert not [a for tag, a in tags if tag in ("img", "iframe", "object", "embed")]
    assert not re.search(r"<(script|link)[^>]+(src|href)\s*=\s*['\"]?(https?:)?//", html, re.I)
    assert "vendor://" not in html
    assert 'L.version="1.9.3"' in html or 'version="1.9.3"' in html  # Leaflet is inside the page
    csp = [a["content"] for tag, a in tags if tag == "meta" and a.get("http-equiv") == "Content-Security-Policy"]
    assert csp and "default-src 'none'" in csp[0] and "connect-src 'none'" in csp[0]
    assert f'<html lang="{lang}">' in html


def test_every_chapter_title_and_narration_is_in_the_page(pages, story):
    for lang, html in pages.items():
        data = payload_of(html)
        assert [c["title"] for c in data["chapters"]] == [c.title[lang] for c in story.chapters]
        assert [c["narration"] for c in data["chapters"]] == [c.narration[lang] for c in story.chapters]
        for chapter in story.chapters:
            assert chapter.title[lang] in html
    uk = payload_of(pages["uk"])
    assert uk["labels"]["next"] == "Далі" and uk["chapters"][5]["dateText"] == "13 листопада 2024\u202fр."
    assert uk["title"] == story.title.uk


def test_each_chapter_carries_the_features_of_its_date_and_layers(layers, story):
    data = story_payload(layers, story)
    keys = [(f["layer"], f["id"]) for f in data["features"]]
    assert len(keys) == len(set(keys)), "shared features are carried once"
    for chapter, entry in zip(story.chapters, data["chapters"], strict=True):
        shown = {keys[i] for i in entry["features"]}
        assert {layer for layer, _ in shown} == set(chapter.layers), chapter.id
        assert {keys[i][1] for i in entry["highlight"]} == set(chapter.highlight), chapter.id
        assert set(entry["highlight"]) <= set(entry["features"])
        assert entry["bounds"] == [list(p) for p in chapter.bounds]
        assert entry["date"] == chapter.date.isoformat()
    by_id = {c["id"]: c for c in data["chapters"]}
    kursk4 = {keys[i] for i in by_id["kursk-incursion"]["features"]}
    assert ("kursk_salient", "kursk-2024-08-06") in kursk4 and ("kursk_salient", "kursk-2024-11") not in kursk4
    assert by_id["conflicting-claims"]["claims"] and not by_id["railway-hub"]["claims"]


def test_styles_match_the_app_and_highlights_are_emphasised(layers, story):
    data = story_payload(layers, story)
    for feat in data["features"]:
        props = next(f["properties"] for f in layers[feat["layer"]]["features"] if f["properties"]["id"] == feat["id"])
        assert feat["style"] == feature_style(feat["layer"], props)
        assert feat["strong"]["weight"] > feat["style"].get("weight", 0)
        assert feat["halo"]["color"] == "#F0E442"


def test_geometry_is_simplified_but_keeps_its_shape(layers, story):
    data = story_payload(layers, story)
    border = next(f for f in data["features"] if f["layer"] == "state_border")
    original = layers["state_border"]["features"][0]["geometry"]["coordinates"]
    simplified = border["geometry"]["coordinates"]

    def count(c: list) -> int:
        return sum(len(part) for part in c) if isinstance(c[0][0], list) else len(c)

    assert 10 < count(simplified) < count(original)


def test_the_legend_lists_what_the_chapter_shows(layers, story):
    data = story_payload(layers, story)
    labels = lambda c: {data["legend"][i]["label"] for i in c["legend"]}  # noqa: E731
    by_id = {c["id"]: c for c in data["chapters"]}
    assert "Claim by Russia, unverified" in labels(by_id["conflicting-claims"])
    assert "Claim by Russia, unverified" not in labels(by_id["kursk-600"])  # Kupiansk's claims are off-screen
    assert "Ukrainian-held area, Kursk region (schematic)" in labels(by_id["kursk-600"])
    assert "Railway (schematic)" in labels(by_id["railway-hub"])
    uk = story_payload(layers, story, lang="uk")
    assert uk["legend"][0]["label"] == "Територія під контролем Росії (схематично)"


def test_hostile_text_is_escaped(layers):
    html = story_html(hostile_layers(layers), hostile_story(), lang="en")
    # Nothing from the story or the layers can end the data element or open a tag.
    assert "</script><script>window.__pwned" not in html
    assert "<img src=x" not in html and "<b onmouseover" not in html and "<i>Next</i>" not in html
    assert html.count("<script") == 3  # Leaflet, the JSON data, the page's code
    assert "<title>&lt;/script&gt;&lt;script&gt;" in html
    data = payload_of(html)
    # ...and the page gets the exact text back, to insert as text.
    assert data["title"] == HOSTILE_TITLE and data["chapters"][0]["title"] == HOSTILE_TITLE
    assert data["chapters"][0]["narration"] == HOSTILE_NARRATION
    assert data["chapters"][0]["sources"] == [HOSTILE_SOURCE]
    place = next(f for f in data["features"] if f["layer"] == "places" and f["id"] == "kupiansk")
    assert place["label"] == HOSTILE_NAME  # plain text, set with textContent
    assert "<b onmouseover" not in place["popup"] and "&lt;b onmouseover" in place["popup"]
    event = next(f for f in data["features"] if f["id"] == "assault-2024-11-13")
    assert "<script>" not in event["popup"] and "&lt;script&gt;" in event["popup"]
    code = html[html.rindex("<script>") :]
    assert "innerHTML" not in code and "insertAdjacentHTML" not in code and "document.write" not in code


def test_unknown_language_is_refused(layers, story):
    with pytest.raises(ValueError, match="unknown language 'fr'"):
        story_html(layers, story, lang="fr")


def test_missing_layers_are_left_out(layers, story):
    partial = {k: v for k, v in layers.items() if k != "kursk_salient"}
    data = story_payload(partial, story)
    assert all(f["layer"] != "kursk_salient" for f in data["features"])
    assert len(data["chapters"]) == len(story.chapters)


def test_the_export_is_deterministic(layers, story, pages):
    assert story_html(layers, story, lang="en") == pages["en"]


def test_map_html_is_a_self_contained_map(layers):
    html = map_html(layers, DEFAULT_STATE)
    tags = tags_of(html)
    assert not [a for tag, a in tags if tag == "script" and "src" in a]
    assert not [a for tag, a in tags if tag == "link" and "stylesheet" in a.get("rel", "")]
    assert "occupied-2024-11" in html and "tile.openstreetmap.org/{z}" not in html


# ---------------------------------------------------------------------------------------------------------------
# the static site


def _stub_map_html(layers, state, *, lang="en") -> str:
    return f"<!DOCTYPE html><title>{state.view} {state.date}</title><p>{','.join(state.layers)}</p>"


@pytest.fixture(scope="module")
def cheap_maps():
    """Map pages as stubs: ``map_html`` itself is tested above and through the CLI. (Each real map adds
    templates to ``_template_cache``'s bounded cache; a hundred of them would fill it for the whole session.)"""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("kupiansk_map.export.site.map_html", _stub_map_html)
        yield


@pytest.fixture(scope="module")
def files(layers, story, cheap_maps) -> dict[str, bytes]:
    return site_files(layers, story)


def test_the_site_has_every_page_and_the_data(files):
    assert {"index.html", "story/en.html", "story/uk.html", "data/catalog.json"} <= set(files)
    for view in VIEWS:
        for day in timeline_dates():
            page = files[map_page_name(view, day)].decode()
            assert f"<title>{view} {day.isoformat()}</title>" in page and "kursk_salient" in page
    for path in DATA_DIR.glob("*.geojson"):
        assert files[f"data/{path.name}"] == path.read_bytes(), "layers are byte-identical to data/geo/"
    assert json.loads(files["data/catalog.json"]) == json.loads((DATA_DIR / "catalog.json").read_bytes())
    assert all(len(data) < MAX_BYTES for data in files.values())


def test_every_link_is_relative_and_resolves(files):
    for name, data in files.items():
        if not name.endswith(".html"):
            continue
        for tag, attrs in tags_of(data.decode("utf-8")):
            for attr in ("href", "src"):
                url = attrs.get(attr)
                if url is None or (tag == "a" and url.startswith("https://www.openstreetmap.org")):
                    continue
                assert not re.match(r"^([a-z]+:|/)", url), (name, tag, url)
                target = (Path(name).parent / url).as_posix()
                assert target in files, (name, url)


def test_write_site_builds_replaces_and_refuses(tmp_path, layers, story, cheap_maps):
    out = tmp_path / "site"
    written = write_site(out, layers, story)
    assert (out / "index.html").is_file() and (out / SITE_MARKER).is_file()
    assert len(written) == len([p for p in out.rglob("*") if p.is_file()]) - 1
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"], "no temporary folder is left behind"
    # A second export over the first replaces its files and keeps the user's own.
    (out / "CNAME").write_text("maps.example.org")
    (out / "maps" / "stale.html").write_text("old")
    marker = json.loads((out / SITE_MARKER).read_text())
    marker["files"].append("maps/stale.html")
    (out / SITE_MARKER).write_text(json.dumps(marker))
    write_site(out, layers, story)
    assert (out / "CNAME").read_text() == "maps.example.org"
    assert not (out / "maps" / "stale.html").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]
    # An empty folder is fine; a folder of someone else's files is refused and left alone.
    (tmp_path / "empty").mkdir()
    write_site(tmp_path / "empty", layers, story)
    assert (tmp_path / "empty" / "story" / "uk.html").is_file()
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "notes.txt").write_text("keep")
    with pytest.raises(SiteError, match="is not empty and was not written by"):
        write_site(tmp_path / "mine", layers, story)
    assert [p.name for p in (tmp_path / "mine").iterdir()] == ["notes.txt"]
    (tmp_path / "file").write_text("x")
    with pytest.raises(SiteError, match="is not a folder"):
        write_site(tmp_path / "file", layers, story)


def test_the_story_page_shares_the_apps_tiles_popup_css_emphasis_and_labels(layers, story):
    from kupiansk_map.web import static_text
    from kupiansk_map.web.render import TILES, emphasised, label_text

    data = story_payload(layers, story)
    assert (data["tiles"]["url"], data["tiles"]["attribution"]) == TILES["osm"]
    for feat in data["features"]:
        props = next(f["properties"] for f in layers[feat["layer"]]["features"] if f["properties"]["id"] == feat["id"])
        assert feat["strong"] == emphasised(feat["style"])
        found = label_text(feat["layer"], props, story.names.get("en", {}))
        assert feat["label"] == (found[0] if found else None)
    html = story_html(layers, story)
    # One popup style, the app's (13 px), and no second copy of it.
    assert static_text("popup.css") in html and html.count(".km-popup {") == 1
    assert ".km-popup { font: 13px/1.4" in html
