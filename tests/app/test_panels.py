import datetime as dt
from dataclasses import replace
from html.parser import HTMLParser

import pytest

from kupiansk_map.analysis.stats import FIGURE_LABELS, figures_on
from kupiansk_map.app.panels import FIGURES_SHOWN, figures_html


class _Figures(HTMLParser):
    """Reads ``<div data-figure>`` blocks back into {key: (label, value text)}."""

    def __init__(self) -> None:
        super().__init__()
        self.figures: dict[str, list[str]] = {}
        self._key: str | None = None
        self._tag: str | None = None

    def handle_starttag(self, tag, attrs):
        if tag == "div" and dict(attrs).get("data-figure"):
            self._key = dict(attrs)["data-figure"]
            self.figures[self._key] = ["", ""]
        if tag in ("dt", "dd"):
            self._tag = tag

    def handle_data(self, data):
        if self._key and self._tag in ("dt", "dd"):
            self.figures[self._key][0 if self._tag == "dt" else 1] += data

    def handle_endtag(self, tag):
        if tag == "div":
            self._key = None
        if tag in ("dt", "dd"):
            self._tag = None


def _read(html: str) -> dict[str, tuple[str, str]]:
    parser = _Figures()
    parser.feed(html)
    return {k: (v[0], v[1]) for k, v in parser.figures.items()}


def test_figures_panel_shows_each_figure_for_the_day_of_the_assault(layers):
    shown = _read(figures_html(figures_on(layers, dt.date(2024, 11, 13))))
    assert list(shown) == [key for key, _, _ in FIGURES_SHOWN]
    assert shown["city_to_front_km"] == (FIGURE_LABELS["city_to_front_km"][0], "2.5 km")
    assert shown["kursk_area_km2"][1].startswith("600 km²")
    assert "-250 km² since the previous mapped state" in shown["kursk_area_km2"][1]
    assert shown["population_prewar"][1] == "26,000"


def test_figures_panel_follows_the_date_and_says_na_for_missing_figures(layers):
    early = _read(figures_html(figures_on(layers, dt.date(2022, 5, 1))))
    assert early["kursk_area_km2"][1] == "not mapped on this date"
    assert "since the previous" not in early["kursk_area_km2"][1]
    assert float(early["city_to_front_km"][1].split()[0]) > 40
    assert "Figures for 1 May 2022</h3>" in figures_html(
        figures_on(layers, dt.date(2022, 5, 1))
    )  # the page's long style


def test_figures_panel_escapes_its_texts(layers):
    figures = replace(figures_on(layers, dt.date(2024, 11, 13)), population_source="<img src=x onerror=alert(1)>")
    html = figures_html(figures)
    assert "<img" not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    with pytest.raises(TypeError, match="got str '<b>2024</b>'"):  # the heading shows a date, never raw text
        figures_html(replace(figures, date="<b>2024</b>"))


def test_figures_panel_refuses_other_types():
    with pytest.raises(TypeError, match=r"SituationFigures.*dict"):
        figures_html({"date": "2024-11-13"})


def test_figures_panel_on_a_gap_date_says_not_mapped_and_names_the_ranges(layers):
    html = figures_html(figures_on(layers, dt.date(2023, 6, 1)))
    shown = _read(html)
    for key in ("city_to_front_km", "occupied_within_10km_km2", "occupied_within_20km_km2"):
        assert shown[key][1] == "not mapped on this date", key
    assert "The Kupiansk sector is not mapped on 1 June 2023; mapped: 27 February 2022 – 31 December 2022, " in html
    assert shown["population_prewar"][1] == "26,000"


def test_figures_panel_shows_no_reported_figure_for_the_first_kursk_outline(layers):
    figures = figures_on(layers, dt.date(2024, 8, 6))
    assert figures.kursk_area_km2 == pytest.approx(168, abs=1)  # the outline has an area, but it is no figure
    shown = _read(figures_html(figures))
    assert shown["kursk_area_km2"][1] == "no reported figure"
    assert shown["city_to_front_km"][1] == "not mapped on this date"
