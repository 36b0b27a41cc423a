"""The presentation story: ordered chapters, each a dated, framed, narrated state of the map, in two languages.

The story is data, in ``definitions/story.json``; this module reads it, checks it against the built layers and
turns a chapter into a map state.

Offers:
- ``LANGUAGES``: the languages every text is written in, ``("en", "uk")`` (``i18n.LANGUAGES``: those with a
  catalogue).
- ``STORY_PATH``: the story file shipped with the package.
- ``LABEL_KEYS``: the presenter's user-interface labels, by key (their texts are in the gettext catalogue).
- ``ui_labels(lang)``: every ``LABEL_KEYS`` label in ``lang``, for the presenter page and the story export.
- ``SENTENCES_RANGE``: how many sentences a narration may have, (2, 4).
- ``Bounds``: the type of a chapter's view, ((south, west), (north, east)).
- ``StoryError``: raised by ``load_story``/``parse_story``/``Story.chapter``; ``.problems`` lists every problem.
- ``Text``: one text in every language (``text["uk"]``).
- ``Chapter``, ``Story``: the parsed story (frozen). Chapters are numbered from 1.
- ``ChapterState``: what a chapter shows: date, layers, bounds, highlighted feature ids and the nearest preset view.
- ``load_story(path=STORY_PATH)`` / ``parse_story(data, *, name)``: read a story, checking its structure.
- ``validate_story(story, layers)``: every problem of a story against loaded layers, as readable lines.
- ``chapter_state(chapter)`` / ``view_state(chapter, *, base)``: a chapter as map state for the app.
- ``format_date(day, *, lang)``: a date in words ("13 November 2024", "13 листопада 2024 р."), by Babel.
- ``count_sentences(text)``: how many sentences a narration has.
- ``data_period(layers)``: the first day the dated layers cover and the day after the last.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from dataclasses import field as dataclass_field
from pathlib import Path
from typing import Any

from shapely.geometry import box, shape

from kupiansk_map import i18n, paths
from kupiansk_map.i18n import N_
from kupiansk_map.layers.definitions import citations
from kupiansk_map.model import LAYER_IDS, features_on, parse_iso_date
from kupiansk_map.web.views import DEFAULT_STATE, VIEWS, ViewState

LANGUAGES: tuple[str, ...] = i18n.LANGUAGES
STORY_PATH = paths.DEFINITIONS_DIR / "story.json"
# The presenter's labels are user-interface texts, so they live in the gettext catalogue, not in story.json (which
# holds the story's own content: its titles, narration and place names).
_LABELS: dict[str, str] = {
    "previous": N_("Previous"),
    "next": N_("Next"),
    "chapter": N_("Chapter"),
    "date": N_("Date"),
    "sources": N_("Sources"),
    "fullscreen": N_("Fullscreen"),
    "exit_fullscreen": N_("Exit fullscreen"),
    "claims_unverified": N_(
        "Claims are unverified: a dashed, hollow marker is one side's account, not a checked fact."
    ),
    "legend": N_("Legend"),
    "schematic_note": N_("Shapes marked schematic are approximate."),
    "keys_help": N_(
        "Keys: → or Page Down for next, ← or Page Up for previous, Home and End for the first and last chapter, "
        "F for fullscreen."
    ),
    "claim_ua": N_("Ukraine claims (unverified)"),
    "claim_ru": N_("Russia claims (unverified)"),
    "map": N_("Map of this chapter"),
    "no_tiles": N_("No network: the offline basemap (sea, borders, rivers and cities) is drawn instead of map tiles."),
}
LABEL_KEYS: tuple[str, ...] = tuple(_LABELS)
SENTENCES_RANGE = (2, 4)
Bounds = tuple[tuple[float, float], tuple[float, float]]

_STORY_KEYS = {"title", "names", "notes", "chapters"}
_CHAPTER_KEYS = {"id", "title", "date", "view", "layers", "highlight", "narration", "sources"}
_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")
# A sentence ends at . ! ? or … (maybe followed by a closing quote or bracket), before a space and a capital or a
# digit. "2.5 km" and "(Reuters, 14 Nov 2024)." mid-sentence are not ends.
_SENTENCE_END = re.compile(r"[.!?…][\"'»”)\]]*\s+(?=[\"'«“(]?[A-ZА-ЯЄІЇҐ0-9])")
_CYRILLIC = re.compile(r"[\u0400-\u04FF]")
_KNOWN_SOURCES = frozenset(value for key, value in vars(citations).items() if key.isupper() and isinstance(value, str))


class StoryError(ValueError):
    """A story that cannot be used; ``problems`` holds one readable line per problem."""

    def __init__(self, problems: Sequence[str]) -> None:
        self.problems = list(problems)
        super().__init__("\n".join(self.problems))


@dataclass(frozen=True)
class Text:
    """One text in every language of ``LANGUAGES``."""

    en: str
    uk: str

    def __getitem__(self, lang: str) -> str:
        if lang not in LANGUAGES:
            raise KeyError(f"unknown language {lang!r}; known: {', '.join(LANGUAGES)}")
        return getattr(self, lang)


@dataclass(frozen=True)
class Chapter:
    """One chapter: ``number`` counts from 1; ``bounds`` is ((south, west), (north, east))."""

    number: int
    id: str
    title: Text
    date: dt.date
    bounds: Bounds
    layers: tuple[str, ...]
    highlight: tuple[str, ...]
    narration: Text
    sources: tuple[str, ...]


@dataclass(frozen=True)
class Story:
    """The whole story: its title, chapters and place names by language.

    ``names[lang]`` and ``notes[lang]`` map a feature id to its name and its note in that language (English ones
    come from the data). The UI labels and the legend are translated by the gettext catalogue (``ui_labels``,
    ``i18n.translator``).
    """

    title: Text
    chapters: tuple[Chapter, ...]
    names: Mapping[str, Mapping[str, str]]
    notes: Mapping[str, Mapping[str, str]] = dataclass_field(default_factory=dict)
    source: str = "story.json"

    def chapter(self, number: int) -> Chapter:
        """Chapter ``number`` (1-based); raises ``StoryError`` when there is no such chapter."""
        if not 1 <= number <= len(self.chapters):
            raise StoryError([f"chapter {number} does not exist: the story has chapters 1 to {len(self.chapters)}"])
        return self.chapters[number - 1]

    def place_name(self, feature_id: str, default: str, *, lang: str) -> str:
        """The name of a feature in ``lang``, or ``default`` (the data's name)."""
        return self.names.get(lang, {}).get(feature_id, default)


@dataclass(frozen=True)
class ChapterState:
    """What a chapter shows. ``view`` is the preset view (``views.VIEWS``) closest to ``bounds``."""

    date: dt.date
    layers: tuple[str, ...]
    bounds: Bounds
    highlight: tuple[str, ...]
    view: str


# ---------------------------------------------------------------------------------------------------------------
# small public helpers


def format_date(day: dt.date, *, lang: str = "en") -> str:
    """``day`` in words: "13 November 2024" or "13 листопада 2024 р." (CLDR's long form, ``i18n.format_date``)."""
    return i18n.format_date(day, lang=lang)


def ui_labels(lang: str) -> dict[str, str]:
    """Every presenter label (``LABEL_KEYS``) in ``lang``, from the gettext catalogue."""
    gettext = i18n.translator(lang).gettext
    return {key: gettext(text) for key, text in _LABELS.items()}


def count_sentences(text: str) -> int:
    """The number of sentences in ``text`` (0 for blank text)."""
    text = text.strip()
    if not text:
        return 0
    return 1 + len(_SENTENCE_END.findall(text))


def data_period(layers: Mapping[str, Mapping[str, Any]]) -> tuple[dt.date, dt.date] | None:
    """(first day, day after the last) covered by the dated features of ``layers``; None if none is dated."""
    starts: list[dt.date] = []
    ends: list[dt.date] = []
    for collection in layers.values():
        for feat in collection.get("features", []):
            props = feat.get("properties") or {}
            if props.get("valid_from") is not None:
                starts.append(parse_iso_date(props["valid_from"]))
            if props.get("valid_to") is not None:
                ends.append(parse_iso_date(props["valid_to"]))
    if not starts or not ends:
        return None
    return min(starts), max(ends)


# ---------------------------------------------------------------------------------------------------------------
# parsing


def _where(name: str, number: int | None = None, chapter_id: Any = None) -> str:
    if number is None:
        return f"{name}: "
    shown = f" ({chapter_id!r})" if isinstance(chapter_id, str) and chapter_id else ""
    return f"{name}: chapter {number}{shown}: "


def _bounds_problems(bounds: Any) -> list[str]:
    """Problems of ``bounds`` as [[south, west], [north, east]] in degrees (empty when sane)."""
    if (
        not isinstance(bounds, (list, tuple))
        or len(bounds) != 2
        or not all(isinstance(pair, (list, tuple)) and len(pair) == 2 for pair in bounds)
    ):
        return ["view: expected [[south, west], [north, east]]"]
    numbers = [value for pair in bounds for value in pair]
    if not all(isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v) for v in numbers):
        return ["view: every bound must be a finite number of degrees"]
    (south, west), (north, east) = bounds
    problems = []
    for label, value in (("south", south), ("north", north)):
        if not -85 <= value <= 85:
            problems.append(f"view: {label} {value} is not a latitude between -85 and 85")
    for label, value in (("west", west), ("east", east)):
        if not -180 <= value <= 180:
            problems.append(f"view: {label} {value} is not a longitude between -180 and 180")
    if south >= north:
        problems.append(f"view: south {south} must be less than north {north} (is it [[south, west], [north, east]]?)")
    if west >= east:
        problems.append(f"view: west {west} must be less than east {east} (is it [[south, west], [north, east]]?)")
    return problems


def _text(value: Any, field: str) -> tuple[Text | None, list[str]]:
    if not isinstance(value, Mapping):
        return None, [f"{field}: expected an object with {' and '.join(LANGUAGES)} texts"]
    problems = [f"{field}: missing the {lang!r} text" for lang in LANGUAGES if lang not in value]
    problems += [
        f"{field}.{lang}: expected a non-empty string"
        for lang in LANGUAGES
        if lang in value and (not isinstance(value[lang], str) or not value[lang].strip())
    ]
    problems += [
        f"{field}: unknown language {lang!r} (known: {', '.join(LANGUAGES)})" for lang in value if lang not in LANGUAGES
    ]
    if problems:
        return None, problems
    return Text(**{lang: value[lang].strip() for lang in LANGUAGES}), []


def _strings(value: Any, field: str, *, empty_ok: bool) -> tuple[tuple[str, ...], list[str]]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        return (), [f"{field}: expected a list of non-empty strings"]
    if not value and not empty_ok:
        return (), [f"{field}: must not be empty"]
    duplicates = sorted({v for v in value if value.count(v) > 1})
    if duplicates:
        return (), [f"{field}: listed twice: {', '.join(map(repr, duplicates))}"]
    return tuple(value), []


def _chapter(raw: Any, number: int) -> tuple[Chapter | None, list[str]]:
    if not isinstance(raw, Mapping):
        return None, ["expected an object"]
    problems = [f"missing field {key!r}" for key in sorted(_CHAPTER_KEYS - set(raw))]
    problems += [f"unknown field {key!r}" for key in sorted(set(raw) - _CHAPTER_KEYS)]
    chapter_id = raw.get("id")
    if "id" in raw and (not isinstance(chapter_id, str) or not _ID.match(chapter_id)):
        problems.append(f"id: {chapter_id!r} is not a lower-case id such as 'kursk-incursion'")
    title, found = _text(raw.get("title"), "title") if "title" in raw else (None, [])
    problems += found
    narration, found = _text(raw.get("narration"), "narration") if "narration" in raw else (None, [])
    problems += found
    day = None
    if "date" in raw:
        try:
            day = parse_iso_date(raw["date"])
        except ValueError as exc:
            problems.append(f"date: {exc}")
    if "view" in raw:
        problems += _bounds_problems(raw["view"])
    layers, found = _strings(raw.get("layers"), "layers", empty_ok=False) if "layers" in raw else ((), [])
    problems += found
    problems += [
        f"layers: unknown layer {layer!r} (known: {', '.join(LAYER_IDS)})" for layer in layers if layer not in LAYER_IDS
    ]
    highlight, found = _strings(raw.get("highlight"), "highlight", empty_ok=True) if "highlight" in raw else ((), [])
    problems += found
    sources, found = _strings(raw.get("sources"), "sources", empty_ok=False) if "sources" in raw else ((), [])
    problems += found
    if problems:
        return None, problems
    # Each of these is missing or bad only with a problem recorded above.
    assert isinstance(chapter_id, str) and title is not None and narration is not None and day is not None
    (south, west), (north, east) = raw["view"]
    return Chapter(
        number=number,
        id=chapter_id,
        title=title,
        date=day,
        bounds=((float(south), float(west)), (float(north), float(east))),
        layers=layers,
        highlight=highlight,
        narration=narration,
        sources=sources,
    ), []


def _by_language(value: Any, field: str, *, required: bool) -> tuple[dict[str, dict[str, str]], list[str]]:
    if value is None and not required:
        return {}, []
    if not isinstance(value, Mapping):
        return {}, [f"{field}: expected an object keyed by language ({', '.join(LANGUAGES)})"]
    result: dict[str, dict[str, str]] = {}
    problems = [
        f"{field}: unknown language {lang!r} (known: {', '.join(LANGUAGES)})" for lang in value if lang not in LANGUAGES
    ]
    for lang in LANGUAGES:
        entries = value.get(lang)
        if entries is None:
            if required:
                problems.append(f"{field}: missing the {lang!r} labels")
            continue
        if not isinstance(entries, Mapping) or not all(
            isinstance(k, str) and isinstance(v, str) and v.strip() for k, v in entries.items()
        ):
            problems.append(f"{field}.{lang}: expected an object of non-empty strings")
            continue
        result[lang] = {k: v.strip() for k, v in entries.items()}
    return result, problems


def parse_story(data: Any, *, name: str = "story.json") -> Story:
    """A ``Story`` from decoded JSON; raises ``StoryError`` listing every structural problem, each naming
    ``name``, the chapter (number and id) and the field."""
    if not isinstance(data, Mapping):
        raise StoryError([f"{name}: expected a JSON object with {', '.join(sorted(_STORY_KEYS))}"])
    problems = [f"{name}: missing field {key!r}" for key in ("title", "chapters") if key not in data]
    problems += [f"{name}: unknown field {key!r}" for key in sorted(set(data) - _STORY_KEYS)]
    title, found = _text(data.get("title"), "title") if "title" in data else (None, [])
    problems += [f"{name}: {p}" for p in found]
    names, found = _by_language(data.get("names"), "names", required=False)
    problems += [f"{name}: {p}" for p in found]
    notes, found = _by_language(data.get("notes"), "notes", required=False)
    problems += [f"{name}: {p}" for p in found]
    chapters: list[Chapter] = []
    raw_chapters = data.get("chapters")
    if "chapters" in data and (not isinstance(raw_chapters, list) or not raw_chapters):
        problems.append(f"{name}: chapters: expected a non-empty list of chapters")
    elif isinstance(raw_chapters, list):
        seen: dict[str, int] = {}
        for number, raw in enumerate(raw_chapters, start=1):
            chapter_id = raw.get("id") if isinstance(raw, Mapping) else None
            chapter, found = _chapter(raw, number)
            problems += [_where(name, number, chapter_id) + p for p in found]
            if isinstance(chapter_id, str) and chapter_id in seen:
                problems.append(
                    _where(name, number, chapter_id)
                    + f"id: {chapter_id!r} is already used by chapter {seen[chapter_id]}"
                )
            elif isinstance(chapter_id, str):
                seen[chapter_id] = number
            if chapter is not None:
                chapters.append(chapter)
    if problems:
        raise StoryError(problems)
    assert title is not None  # a missing or bad title is a problem above
    return Story(title=title, chapters=tuple(chapters), names=names, notes=notes, source=name)


def load_story(path: Path | str = STORY_PATH) -> Story:
    """Read and parse a story file; raises ``StoryError`` listing every problem (the file is named in each)."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise StoryError([f"{path}: cannot be read ({exc.strerror or exc})"]) from None
    except UnicodeDecodeError as exc:
        raise StoryError([f"{path}: is not UTF-8 text ({exc.reason} at byte {exc.start})"]) from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise StoryError([f"{path}: line {exc.lineno}, column {exc.colno}: invalid JSON ({exc.msg})"]) from None
    return parse_story(data, name=str(path))


# ---------------------------------------------------------------------------------------------------------------
# validation against the layers


def _text_problems(chapter: Chapter) -> list[str]:
    problems = []
    low, high = SENTENCES_RANGE
    for field, text in (("title", chapter.title), ("narration", chapter.narration)):
        for lang in LANGUAGES:
            value = text[lang]
            has_cyrillic = bool(_CYRILLIC.search(value))
            if lang == "uk" and not has_cyrillic:
                problems.append(f"{field}.uk: is not written in Ukrainian (no Cyrillic letters)")
            if lang == "en" and has_cyrillic:
                problems.append(f"{field}.en: contains Cyrillic letters; is it the Ukrainian text?")
            if field == "narration":
                count = count_sentences(value)
                if not low <= count <= high:
                    problems.append(f"narration.{lang}: has {count} sentence(s); write {low} to {high}")
                if not value.rstrip("\"'»”)").endswith((".", "!", "?", "…")):
                    problems.append(f"narration.{lang}: does not end with a full stop or question mark")
    if chapter.title.en == chapter.title.uk:
        problems.append("title: the English and Ukrainian titles are the same")
    return problems


def _chapter_problems(
    chapter: Chapter, layers: Mapping[str, Mapping[str, Any]], period: tuple[dt.date, dt.date] | None
) -> list[str]:
    problems = _bounds_problems([list(pair) for pair in chapter.bounds]) + _text_problems(chapter)
    day = chapter.date
    if period is None:
        problems.append("date: the layers hold no dated features, so no date can be checked")
    elif not period[0] <= day < period[1]:
        last = period[1] - dt.timedelta(days=1)
        problems.append(f"date: {day.isoformat()} is outside the data ({period[0].isoformat()} to {last.isoformat()})")
    present: dict[str, tuple[str, Mapping[str, Any]]] = {}  # feature id -> (layer, feature valid on the date)
    known: dict[str, str] = {}  # feature id -> layer, whatever its dates
    for layer_id in chapter.layers:
        if layer_id not in LAYER_IDS:
            problems.append(f"layers: unknown layer {layer_id!r} (known: {', '.join(LAYER_IDS)})")
            continue
        if layer_id not in layers:
            problems.append(f"layers: layer {layer_id!r} is not among the loaded layers")
            continue
        features = layers[layer_id].get("features", [])
        for feat in features:
            known.setdefault(str(feat["properties"].get("id")), layer_id)
        valid = features_on(features, day)
        if not valid:
            problems.append(f"layers: layer {layer_id!r} has no feature valid on {day.isoformat()}")
        for feat in valid:
            present.setdefault(str(feat["properties"].get("id")), (layer_id, feat))
    (south, west), (north, east) = chapter.bounds
    frame = box(west, south, east, north) if west < east and south < north else None
    for feature_id in chapter.highlight:
        if feature_id in present:
            if frame is not None and not shape(present[feature_id][1]["geometry"]).intersects(frame):
                problems.append(f"highlight: {feature_id!r} lies outside the chapter's view")
        elif feature_id in known:
            problems.append(
                f"highlight: {feature_id!r} (layer {known[feature_id]!r}) is not valid on {day.isoformat()}"
            )
        else:
            problems.append(
                f"highlight: {feature_id!r} is not a feature of the chapter's layers ({', '.join(chapter.layers)})"
            )
    problems += [
        f"sources: {source!r} is not one of the citations in definitions/citations.py"
        for source in chapter.sources
        if source not in _KNOWN_SOURCES
    ]
    return problems


def validate_story(story: Story, layers: Mapping[str, Mapping[str, Any]]) -> list[str]:
    """Every problem of ``story`` against ``layers`` (layer id -> FeatureCollection), one readable line each.

    Checks that each chapter's layers exist and have features on its date, that the date lies within the data,
    that each highlighted feature exists in those layers, is shown on the date and lies in the view, that the
    view is a sane [[south, west], [north, east]], that title and narration exist in every language (narration of
    2 to 4 sentences, Ukrainian in Cyrillic), that sources are the project's citations, and that the place names
    name features of the layers. (The UI labels and the legend are checked by the catalogue's tests.)
    """
    name = story.source
    problems: list[str] = []
    period = data_period(layers)
    for chapter in story.chapters:
        problems += [_where(name, chapter.number, chapter.id) + p for p in _chapter_problems(chapter, layers, period)]
    feature_ids = {
        str(feat["properties"].get("id")) for collection in layers.values() for feat in collection.get("features", [])
    }
    for field_name, texts in (("names", story.names), ("notes", story.notes)):
        for lang, entries in texts.items():
            problems += [
                f"{name}: {field_name}.{lang}: {feature_id!r} is not a feature of any layer"
                for feature_id in entries
                if feature_id not in feature_ids
            ]
    return problems


# ---------------------------------------------------------------------------------------------------------------
# chapters as map state


def _overlap(a: Bounds, b: Bounds) -> float:
    """Intersection over union of two lon/lat boxes (0 when apart)."""
    box_a = box(a[0][1], a[0][0], a[1][1], a[1][0])
    box_b = box(b[0][1], b[0][0], b[1][1], b[1][0])
    union = box_a.union(box_b).area
    return box_a.intersection(box_b).area / union if union else 0.0


def chapter_state(chapter: Chapter) -> ChapterState:
    """What ``chapter`` shows, with the preset view that best matches its bounds (for the app's view control)."""
    view = max(VIEWS, key=lambda view_id: _overlap(chapter.bounds, VIEWS[view_id].bounds))
    return ChapterState(
        date=chapter.date, layers=chapter.layers, bounds=chapter.bounds, highlight=chapter.highlight, view=view
    )


def view_state(chapter: Chapter, *, base: ViewState = DEFAULT_STATE) -> ViewState:
    """``base`` with the chapter's date, nearest preset view and layers (in catalog order)."""
    state = chapter_state(chapter)
    return replace(
        base, date=state.date, view=state.view, layers=tuple(layer for layer in LAYER_IDS if layer in state.layers)
    )
