"""The story file validates against the built layers, and broken stories are reported field by field."""

from __future__ import annotations

import copy
import datetime as dt
import json
import re
from dataclasses import FrozenInstanceError

import pytest
from conftest import ROOT

from kupiansk_map.model import LAYER_IDS, features_on
from kupiansk_map.story.chapters import (
    LABEL_KEYS,
    LANGUAGES,
    STORY_PATH,
    Chapter,
    StoryError,
    chapter_state,
    count_sentences,
    data_period,
    format_date,
    load_story,
    parse_story,
    ui_labels,
    validate_story,
    view_state,
)
from kupiansk_map.web.views import VIEWS, ViewState


@pytest.fixture(scope="module")
def raw() -> dict:
    return json.loads(STORY_PATH.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def story():
    return load_story()


def broken(raw: dict, change) -> list[str]:
    """The problems ``parse_story`` reports for a copy of the story changed by ``change``."""
    data = copy.deepcopy(raw)
    change(data)
    with pytest.raises(StoryError) as info:
        parse_story(data, name="story.json")
    return info.value.problems


def problems_against(layers: dict, raw: dict, change) -> list[str]:
    data = copy.deepcopy(raw)
    change(data)
    return validate_story(parse_story(data, name="story.json"), layers)


def _assert_problems_start_with(problems: list[str], expected: list[str]) -> None:
    """Each expected line begins one of the problems, and there are no others."""
    for line in expected:
        assert any(p.startswith(line) for p in problems), (line, problems)
    assert len(problems) == len(expected), problems


# ---------------------------------------------------------------------------------------------------------------
# the shipped story


def test_the_story_validates_against_the_built_layers(story, layers):
    assert validate_story(story, layers) == []


def test_the_story_validates_against_the_committed_files(story):
    from kupiansk_map.layers.store import load_layers

    loaded = load_layers()
    assert loaded.errors == {}
    assert validate_story(story, loaded.layers) == []


def test_the_chapters_tell_the_story_in_order(story):
    ids = [chapter.id for chapter in story.chapters]
    assert ids[:9] == [
        "railway-hub",
        "occupation-2022",
        "liberation-2022",
        "kursk-incursion",
        "kursk-800-900",
        "assault-2024-11-13",
        "conflicting-claims",
        "kursk-600",
        "front-1000-km",
    ]
    assert [chapter.number for chapter in story.chapters] == list(range(1, len(ids) + 1))
    dates = [chapter.date for chapter in story.chapters[:9]]
    assert dates == sorted(dates)
    by_id = {chapter.id: chapter for chapter in story.chapters}
    assert by_id["occupation-2022"].date == dt.date(2022, 2, 27)
    assert by_id["liberation-2022"].date in (dt.date(2022, 9, 10), dt.date(2022, 10, 1))
    assert by_id["kursk-incursion"].date == dt.date(2024, 8, 6)
    assert dt.date(2024, 9, 1) <= by_id["kursk-800-900"].date <= dt.date(2024, 10, 31)
    assert by_id["assault-2024-11-13"].date == dt.date(2024, 11, 13)
    assert by_id["front-1000-km"].date == dt.date(2024, 11, 13)
    assert by_id["front-1000-km"].bounds == VIEWS["overview"].bounds


def test_every_chapter_shows_features_of_each_layer_on_its_date(story, layers):
    first, end = data_period(layers)
    assert (first, end) == (dt.date(2022, 2, 27), dt.date(2024, 11, 15))
    for chapter in story.chapters:
        assert first <= chapter.date < end, chapter.id
        for layer_id in chapter.layers:
            assert layer_id in LAYER_IDS
            assert features_on(layers[layer_id]["features"], chapter.date), (chapter.id, layer_id)


def test_the_chapters_highlight_what_they_talk_about(story, layers):
    by_id = {chapter.id: chapter for chapter in story.chapters}
    assert {"industrial-zone", "north-eastern-suburbs"} <= set(by_id["assault-2024-11-13"].highlight)
    assert {"claim-ua-repelled", "claim-ru-foothold"} <= set(by_id["conflicting-claims"].highlight)
    assert "kursk-2024-11" in by_id["kursk-600"].highlight
    assert "kursk-force-50000" in by_id["kursk-600"].highlight
    assert "kursk-2024-09-15" in by_id["kursk-800-900"].highlight
    assert "front-overview-2024-11" in by_id["front-1000-km"].highlight


def test_both_languages_everywhere(story):
    assert LANGUAGES == ("en", "uk")
    for chapter in story.chapters:
        for lang in LANGUAGES:
            assert chapter.title[lang] and 2 <= count_sentences(chapter.narration[lang]) <= 4, (chapter.id, lang)
        assert any("\u0400" <= ch <= "\u04ff" for ch in chapter.narration.uk)
    for lang in LANGUAGES:
        assert set(ui_labels(lang)) == set(LABEL_KEYS)
    assert ui_labels("uk")["next"] == "Далі" and ui_labels("en")["next"] == "Next"
    assert story.place_name("kupiansk", "Kupiansk", lang="uk") == "Купʼянськ"
    assert story.place_name("sudzha", "Sudzha", lang="uk") == "Суджа"
    assert story.place_name("kupiansk", "Kupiansk", lang="en") == "Kupiansk"


def test_the_ukrainian_text_uses_the_ukrainian_place_names(story):
    text = " ".join(chapter.narration.uk + " " + chapter.title.uk for chapter in story.chapters)
    for name in ("Купʼянськ", "Оскол", "Суджа", "Курськ"):
        assert name in text
    assert "Kupiansk" not in text and "Купянськ" not in text


def test_figures_are_attributed(story):
    by_id = {chapter.id: chapter for chapter in story.chapters}
    assault = by_id["assault-2024-11-13"].narration.en
    assert "four waves" in assault and "15" in assault and "General Staff" in assault and "Reuters" in assault
    kursk = by_id["kursk-600"].narration.en
    assert "600 km²" in kursk and "800–900 km²" in kursk and "50,000" in kursk and "Kyiv said" in kursk
    claims = by_id["conflicting-claims"].narration.en
    assert "Ganchev" in claims and "checked independently" in claims


def test_the_story_never_copies_the_article():
    article = ROOT.parent / "shared" / "brief" / "article-2024-11-14.txt"
    if not article.is_file():
        pytest.skip(f"{article} is not on this machine")

    def words(text: str) -> list[str]:
        return re.findall(r"[\w'²,.-]+", text.lower().replace("\u2019", "'"))

    source = words(article.read_text(encoding="utf-8"))
    story_text = " ".join(words(STORY_PATH.read_text(encoding="utf-8")))
    copied = {" ".join(source[i : i + 6]) for i in range(len(source) - 6) if " ".join(source[i : i + 6]) in story_text}
    assert copied == set(), "six or more words in a row taken from the article"


# ---------------------------------------------------------------------------------------------------------------
# helpers


def test_chapter_state_gives_the_app_what_it_needs(story):
    chapter = story.chapter(4)
    state = chapter_state(chapter)
    assert (state.date, state.layers, state.bounds, state.view) == (
        dt.date(2024, 8, 6),
        chapter.layers,
        chapter.bounds,
        "kursk",
    )
    assert chapter_state(story.chapter(6)).view == "kupiansk"
    app_state = view_state(story.chapter(6))
    assert isinstance(app_state, ViewState)
    assert app_state.date == dt.date(2024, 11, 13) and app_state.view == "kupiansk"
    assert list(app_state.layers) == [layer for layer in LAYER_IDS if layer in story.chapter(6).layers]


def test_chapter_numbers_out_of_range_are_errors(story):
    with pytest.raises(StoryError, match="chapter 0 does not exist: the story has chapters 1 to"):
        story.chapter(0)
    with pytest.raises(StoryError, match="chapter 99 does not exist"):
        story.chapter(99)


def test_format_date():
    assert format_date(dt.date(2024, 11, 13)) == "13 November 2024"
    assert format_date(dt.date(2024, 11, 13), lang="uk") == "13 листопада 2024\u202fр."
    assert format_date(dt.date(2022, 2, 27), lang="uk") == "27 лютого 2022\u202fр."


@pytest.mark.parametrize(
    "text, count",
    [
        ("", 0),
        ("One.", 1),
        ("One sentence about 2.5 km. Two (Reuters, 14 Nov 2024). Three?", 3),
        ("Перше речення. Друге речення! Третє?", 3),
        ("A 1,000 km front. 6 August came.", 2),
    ],
)
def test_count_sentences(text, count):
    assert count_sentences(text) == count


# ---------------------------------------------------------------------------------------------------------------
# broken stories


def test_unreadable_and_invalid_files(tmp_path):
    with pytest.raises(StoryError, match="cannot be read"):
        load_story(tmp_path / "missing.json")
    bad = tmp_path / "bad.json"
    bad.write_text('{"title": {', encoding="utf-8")
    with pytest.raises(StoryError) as info:
        load_story(bad)
    assert info.value.problems[0].startswith(f"{bad}: line 1, column") and "invalid JSON" in info.value.problems[0]
    bad.write_text("[]", encoding="utf-8")
    with pytest.raises(StoryError, match="expected a JSON object"):
        load_story(bad)


def test_every_structural_problem_is_listed_with_chapter_and_field(raw):
    def change(data):
        data["chapters"][0]["date"] = "2024-02-30"
        data["chapters"][1]["layers"] = ["occupied", "moon"]
        data["chapters"][2]["view"] = [[49.9, 37.2], [49.4, 38.0]]
        del data["chapters"][3]["narration"]["uk"]
        data["chapters"][4]["narative"] = {}
        data["chapters"][5]["id"] = data["chapters"][4]["id"]
        data["labels"] = {"uk": {"next": "Далі"}}  # UI labels live in the gettext catalogue now

    problems = broken(raw, change)
    expected = [
        "story.json: chapter 1 ('railway-hub'): date: '2024-02-30' is not a date that exists",
        "story.json: chapter 2 ('occupation-2022'): layers: unknown layer 'moon'",
        "story.json: chapter 3 ('liberation-2022'): view: south 49.9 must be less than north 49.4",
        "story.json: chapter 4 ('kursk-incursion'): narration: missing the 'uk' text",
        "story.json: chapter 5 ('kursk-800-900'): unknown field 'narative'",
        "story.json: chapter 6 ('kursk-800-900'): id: 'kursk-800-900' is already used by chapter 5",
        "story.json: unknown field 'labels'",
    ]
    _assert_problems_start_with(problems, expected)


def test_bounds_that_are_not_lat_lon(raw):
    problems = broken(raw, lambda d: d["chapters"][0].update(view=[[37.0, 149.0], [38.0, 250.0]]))
    assert problems == [
        "story.json: chapter 1 ('railway-hub'): view: east 250.0 is not a longitude between -180 and 180"
    ]
    problems = broken(raw, lambda d: d["chapters"][0].update(view=[[49.0, "x"], [50.0, 38.0]]))
    assert problems == ["story.json: chapter 1 ('railway-hub'): view: every bound must be a finite number of degrees"]


def test_problems_against_the_layers(raw, layers):
    def change(data):
        data["chapters"][0]["date"] = "2021-06-01"
        data["chapters"][1]["layers"].append("kursk_salient")  # no Kursk state in February 2022
        data["chapters"][2]["highlight"] = ["kursk-2024-11", "no-such-feature", "kupiansk-city"]
        data["chapters"][2]["layers"].append("kursk_salient")
        data["chapters"][3]["highlight"] = ["kupiansk-city"]
        data["chapters"][3]["layers"].append("kupiansk")
        data["chapters"][4]["narration"]["en"] = "Only one sentence here."
        data["chapters"][5]["narration"]["uk"] = data["chapters"][5]["narration"]["en"]
        data["chapters"][6]["sources"] = ["Some blog"]

    problems = problems_against(layers, raw, change)
    expected = [
        "story.json: chapter 1 ('railway-hub'): date: 2021-06-01 is outside the data (2022-02-27 to 2024-11-14)",
        "story.json: chapter 2 ('occupation-2022'): layers: layer 'kursk_salient' has no feature valid on 2022-02-27",
        "story.json: chapter 3 ('liberation-2022'): layers: layer 'kursk_salient' has no feature valid on 2022-09-10",
        "story.json: chapter 3 ('liberation-2022'): highlight: 'kursk-2024-11' (layer 'kursk_salient') is not "
        "valid on 2022-09-10",
        "story.json: chapter 3 ('liberation-2022'): highlight: 'no-such-feature' is not a feature of the "
        "chapter's layers",
        "story.json: chapter 4 ('kursk-incursion'): highlight: 'kupiansk-city' lies outside the chapter's view",
        "story.json: chapter 5 ('kursk-800-900'): narration.en: has 1 sentence(s); write 2 to 4",
        "story.json: chapter 6 ('assault-2024-11-13'): narration.uk: is not written in Ukrainian",
        "story.json: chapter 7 ('conflicting-claims'): sources: 'Some blog' is not one of the citations",
    ]
    _assert_problems_start_with(problems, expected)


def test_a_missing_layer_is_named(story, layers):
    without = {k: v for k, v in layers.items() if k != "kursk_salient"}
    problems = validate_story(story, without)
    assert problems and all(
        "layer 'kursk_salient' is not among the loaded layers" in p
        or "is not a feature of the chapter's layers" in p
        or (".uk: 'kursk-2024-" in p and "is not a feature of any layer" in p)  # its features' names and notes
        for p in problems
    )
    assert any("chapter 4 ('kursk-incursion')" in p for p in problems)


def test_place_names_are_checked(raw, layers):
    def change(data):
        data["names"]["uk"]["atlantis"] = "Атлантида"

    problems = problems_against(layers, raw, change)
    assert problems == ["story.json: names.uk: 'atlantis' is not a feature of any layer"]


def test_chapters_are_frozen(story):
    chapter: Chapter = story.chapter(1)
    with pytest.raises(FrozenInstanceError):
        chapter.date = dt.date(2020, 1, 1)  # type: ignore[misc]


def test_every_feature_has_a_ukrainian_name_and_note_but_the_zone_near_the_front(story, layers):
    ids = {
        str(feat["properties"]["id"])
        for layer_id, collection in layers.items()
        # front_buffer is redrawn at the distance chosen in the app (its texts name that distance); the basemap is
        # scenery with no popups, its city names authored in layers/definitions/cities.py (tests/layers/test_basemap)
        if layer_id not in ("front_buffer", "basemap")
        for feat in collection["features"]
    }
    assert ids - set(story.names["uk"]) == set()
    assert ids - set(story.notes["uk"]) == set()
    assert all(re.search("[а-яіїєґ]", text) for text in (*story.names["uk"].values(), *story.notes["uk"].values()))
