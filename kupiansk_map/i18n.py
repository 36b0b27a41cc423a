"""The app's languages: gettext catalogues read with Babel, and dates and numbers in CLDR's forms.

The user-interface texts are written in English in the code, marked with ``_()``/``ngettext()``/``N_()``, and
extracted by ``pybabel extract`` (``babel.cfg``) into ``locale/messages.pot``; each language has its catalogue in
``locale/<lang>/LC_MESSAGES/messages.po``, compiled to ``messages.mo`` beside it. A language is offered as soon as
its compiled catalogue is there: adding one needs no change to the code (see the README).

Offers:
- ``LOCALE_DIR``, ``DOMAIN``: where the catalogues are and their gettext domain.
- ``SOURCE_LANGUAGE``: the language the code is written in, ``"en"`` (the default).
- ``LANGUAGES``: the source language, then every language with a compiled catalogue, e.g. ``("en", "uk")``.
- ``language_name(lang)``: a language's name in that language (CLDR), for the language picker.
- ``parse_language(value)``: a language code checked against ``LANGUAGES`` (``ValueError`` naming the choices).
- ``N_(text)``: marks a text for extraction where it is defined; it is translated where it is shown.
- ``translator(lang)``: the ``babel.support.Translations`` of ``lang`` (``gettext``, ``ngettext``, ``pgettext``).
- ``format_date(day, *, lang, form)``: ``"13 November 2024"`` / ``"13 листопада 2024 р."`` (``form="long"``),
  ``"06 Nov 2024"`` / ``"06 лист. 2024"`` (``form="short"``), ``"Nov 2024"`` (``form="month"``).
- ``format_number(value, *, lang, digits, sign)``: grouped digits and the language's decimal sign.
- ``format_measure(value, unit, *, lang, digits, sign)``: a number and its unit ("1 234,5 км²" is not done: units
  are international symbols, "1 234,5 km²").
"""

from __future__ import annotations

import datetime as dt
from functools import cache
from pathlib import Path

from babel import Locale
from babel.dates import format_date as _babel_date
from babel.numbers import format_decimal
from babel.support import NullTranslations, Translations

LOCALE_DIR = Path(__file__).resolve().parent / "locale"
DOMAIN = "messages"
SOURCE_LANGUAGE = "en"
# English dates and numbers are written the British way ("13 November 2024"); other languages use their own CLDR
# locale, named by the catalogue's folder.
_CLDR_LOCALES = {"en": "en_GB"}
_DATE_PATTERNS = {"long": "long", "short": "dd MMM y", "month": "LLL y"}


def _catalogued() -> tuple[str, ...]:
    return tuple(sorted(p.parent.parent.name for p in LOCALE_DIR.glob(f"*/LC_MESSAGES/{DOMAIN}.mo")))


LANGUAGES: tuple[str, ...] = (SOURCE_LANGUAGE, *(lang for lang in _catalogued() if lang != SOURCE_LANGUAGE))


def N_(text: str) -> str:
    """``text`` unchanged: marks a constant for the catalogue; it is translated where it is shown."""
    return text


UNITS: tuple[str, ...] = (N_("km"), N_("km²"), N_("m"), N_("ha"))


def parse_language(value: str) -> str:
    """``value`` if it is one of ``LANGUAGES``; otherwise ``ValueError`` naming the choices."""
    if value not in LANGUAGES:
        raise ValueError(f"{value!r} is not one of the languages {', '.join(LANGUAGES)}")
    return value


@cache
def translator(lang: str = SOURCE_LANGUAGE) -> NullTranslations:
    """The compiled catalogue of ``lang`` (the texts as written for the source language)."""
    parse_language(lang)
    if lang == SOURCE_LANGUAGE:
        return NullTranslations()
    return Translations.load(str(LOCALE_DIR), locales=[lang], domain=DOMAIN)


def _locale(lang: str) -> str:
    return _CLDR_LOCALES.get(parse_language(lang), lang)


def language_name(lang: str) -> str:
    """The name of ``lang`` in that language, capitalised: "English", "Українська"."""
    name = Locale.parse(_locale(lang)).get_language_name(_locale(lang)) or lang
    return name[:1].upper() + name[1:]


def format_date(day: dt.date, *, lang: str = SOURCE_LANGUAGE, form: str = "long") -> str:
    """``day`` in words in ``lang``: ``form="long"`` ("13 November 2024", "13 листопада 2024 р.") or ``"short"``
    ("06 Nov 2024", "06 лист. 2024") or ``"month"`` ("Nov 2024", "лист. 2024"), by CLDR through Babel."""
    if not isinstance(day, dt.date):
        raise TypeError(f"day must be a datetime.date, got {type(day).__name__}")
    # en_GB abbreviates September "Sept"; abbreviated English dates keep CLDR's plain en forms ("10 Sep 2022").
    locale = lang if form != "long" and lang == SOURCE_LANGUAGE else _locale(lang)
    return _babel_date(day, format=_DATE_PATTERNS[form], locale=locale)


def format_number(value: float, *, lang: str = SOURCE_LANGUAGE, digits: int = 0, sign: bool = False) -> str:
    """``value`` with grouped thousands and ``digits`` decimals, in ``lang``'s signs ("1,234.5", "1 234,5");
    ``sign`` writes a plus before positive values. ``digits=-1`` keeps up to three decimals, none trailing."""
    pattern = "#,##0.###" if digits < 0 else "#,##0" + ("." + "0" * digits if digits else "")
    if sign:
        pattern = f"+{pattern};-{pattern}"
    return format_decimal(value, format=pattern, locale=_locale(lang))


def format_measure(value: float, unit: str, *, lang: str = SOURCE_LANGUAGE, digits: int = 0, sign: bool = False) -> str:
    """``value`` (``format_number``) and its unit symbol (one of ``UNITS``) in ``lang``: "1 234,5 км²"."""
    if unit not in UNITS:
        raise ValueError(f"unknown unit {unit!r}; known: {', '.join(UNITS)}")
    shown = translator(lang).gettext(unit)
    return f"{format_number(value, lang=lang, digits=digits, sign=sign)} {shown}"


def chart_locale(lang: str = SOURCE_LANGUAGE) -> dict[str, dict[str, object]]:
    """Vega-Lite's ``config.locale`` for ``lang``: d3's number and time locale objects, filled from CLDR."""
    locale = Locale.parse(_locale(lang))
    symbols = locale.number_symbols["latn"]
    # d3 counts days from Sunday, CLDR from Monday (0).
    week = [6, 0, 1, 2, 3, 4, 5]
    return {
        "number": {"decimal": symbols["decimal"], "thousands": symbols["group"], "grouping": [3], "currency": ["", ""]},
        "time": {
            "dateTime": "%x, %X",
            "date": "%Y-%m-%d",
            "time": "%H:%M:%S",
            "periods": [locale.day_periods["format"]["abbreviated"][key] for key in ("am", "pm")],
            "days": [locale.days["stand-alone"]["wide"][i] for i in week],
            "shortDays": [locale.days["stand-alone"]["abbreviated"][i] for i in week],
            "months": [locale.months["stand-alone"]["wide"][i] for i in range(1, 13)],
            "shortMonths": [locale.months["stand-alone"]["abbreviated"][i] for i in range(1, 13)],
        },
    }
