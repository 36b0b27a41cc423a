"""The gettext catalogues are complete and compiled, and dates and numbers are written by Babel in each language."""

from __future__ import annotations

import datetime as dt
import io
import re
import string
from configparser import ConfigParser

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from conftest import ROOT

from kupiansk_map import i18n

PACKAGE = ROOT / "kupiansk_map"
TEMPLATE = i18n.LOCALE_DIR / "messages.pot"
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "N_": None}


def _method_map() -> list[tuple[str, str]]:
    config = ConfigParser()
    config.read(ROOT / "babel.cfg", encoding="utf-8")
    return [tuple(section.split(": ", 1)[::-1]) for section in config.sections()]  # type: ignore[misc]


def _ids_in_code() -> set[str | tuple[str, ...]]:
    """Every text the code marks, extracted afresh, as ``scripts/catalogue`` does."""
    found: set[str | tuple[str, ...]] = set()
    for _name, _line, message, _comments, _context in extract_from_dir(
        str(PACKAGE), method_map=_method_map(), keywords=KEYWORDS
    ):
        found.add(message if isinstance(message, str) else tuple(message))
    return found


def _ids(catalog) -> set[str | tuple[str, ...]]:
    return {m.id if isinstance(m.id, str) else tuple(m.id) for m in catalog if m.id}


def _catalogue(lang: str):
    path = i18n.LOCALE_DIR / lang / "LC_MESSAGES" / "messages.po"
    with path.open("rb") as f:
        return read_po(f, locale=lang)


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


TRANSLATED = [lang for lang in i18n.LANGUAGES if lang != i18n.SOURCE_LANGUAGE]


def test_languages_are_the_compiled_catalogues():
    assert i18n.LANGUAGES == ("en", "uk")
    assert TRANSLATED == ["uk"]


def test_the_committed_template_holds_exactly_the_texts_of_the_code():
    with TEMPLATE.open("rb") as f:
        template = read_po(f)
    code = _ids_in_code()
    assert len(code) > 250  # the whole user interface, not a sample
    assert _ids(template) == code, "run scripts/catalogue"


@pytest.mark.parametrize("lang", TRANSLATED)
def test_every_text_of_the_code_is_translated(lang):
    catalog = _catalogue(lang)
    code = _ids_in_code()
    assert not code - _ids(catalog), f"not in {lang}/messages.po (run scripts/catalogue, then translate)"
    assert not _ids(catalog) - code, f"{lang}/messages.po holds texts the code no longer has"
    problems = []
    for message in catalog:
        if not message.id:
            continue
        ids = [message.id] if isinstance(message.id, str) else list(message.id)
        strings = [message.string] if isinstance(message.string, str) else list(message.string)
        if message.fuzzy:
            problems.append(f"fuzzy: {ids[0]!r}")
        if isinstance(message.id, tuple) and len(strings) != catalog.num_plurals:
            problems.append(f"{len(strings)} plural forms, {lang} has {catalog.num_plurals}: {ids[0]!r}")
        for text in strings:
            if not text.strip():
                problems.append(f"untranslated: {ids[0]!r}")
            elif not _fields(text) <= set().union(*map(_fields, ids)) or (
                len(ids) == 1 and _fields(text) != _fields(ids[0])
            ):  # a lost or renamed {placeholder} breaks .format()
                problems.append(f"placeholders {_fields(text)} do not match those of {ids}")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("lang", TRANSLATED)
def test_the_compiled_catalogue_is_up_to_date(lang):
    compiled = io.BytesIO()
    write_mo(compiled, _catalogue(lang))
    committed = (i18n.LOCALE_DIR / lang / "LC_MESSAGES" / "messages.mo").read_bytes()
    assert compiled.getvalue() == committed, "run scripts/catalogue"


# Babel's Python extractor does not look inside f-strings: a text marked there would never reach the catalogue.
_MARKED_IN_F_STRING = re.compile(r"""\bf(["'])(?:(?!\1).)*\{[^}]*\b(?:_|N_|gettext)\(\s*["']""")


def test_no_text_is_marked_inside_an_f_string():
    found = [
        f"{path.relative_to(ROOT)}:{number}"
        for path in sorted(PACKAGE.rglob("*.py"))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if _MARKED_IN_F_STRING.search(line)
    ]
    assert not found


def test_translations_are_used():
    uk = i18n.translator("uk")
    assert uk.gettext("Legend") == "Умовні позначення"
    assert uk.ngettext("{count} feature drawn", "{count} features drawn", 1) == "{count} обʼєкт намальовано"
    assert uk.ngettext("{count} feature drawn", "{count} features drawn", 3) == "{count} обʼєкти намальовано"
    assert uk.ngettext("{count} feature drawn", "{count} features drawn", 11) == "{count} обʼєктів намальовано"
    assert i18n.translator("en").gettext("Legend") == "Legend"
    with pytest.raises(ValueError, match="'fr' is not one of the languages en, uk"):
        i18n.translator("fr")


def test_dates_and_numbers_come_from_cldr():
    day = dt.date(2024, 11, 13)
    assert i18n.format_date(day) == "13 November 2024"
    assert i18n.format_date(day, lang="uk") == "13 листопада 2024\u202fр."
    assert i18n.format_date(dt.date(2024, 8, 6), lang="uk", form="short") == "06 серп. 2024"
    assert i18n.format_date(dt.date(2024, 8, 6), form="short") == "06 Aug 2024"
    assert i18n.format_date(dt.date(2022, 9, 10), form="short") == "10 Sep 2022"  # as before Babel wrote it
    assert i18n.format_date(dt.date(2024, 9, 1), form="month") == "Sep 2024"
    assert i18n.format_date(dt.date(2024, 9, 1), lang="uk", form="month") == "вер. 2024"
    assert i18n.format_measure(1234.56, "km²", digits=1) == "1,234.6 km²"
    assert i18n.format_measure(1234.56, "km²", lang="uk", digits=1) == "1\xa0234,6 км²"
    assert i18n.format_number(-55, lang="uk", sign=True) == "-55"
    assert i18n.format_number(55, sign=True) == "+55"
    assert i18n.format_number(2.5, lang="uk", digits=-1) == "2,5"
    assert i18n.language_name("uk") == "Українська" and i18n.language_name("en") == "English"
    with pytest.raises(TypeError):
        i18n.format_date("2024-11-13")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="unknown unit"):
        i18n.format_measure(1, "miles")
