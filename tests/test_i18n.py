"""Both languages complete; numbers, names and the language choice as each locale expects."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from mirps_dash import i18n, load
from mirps_dash.schema import POPULATION_TYPES

PLACEHOLDER = re.compile(r"{(\w+)}")


@pytest.mark.parametrize("key", sorted(i18n.STRINGS))
def test_every_string_exists_in_both_languages_with_the_same_placeholders(key):
    texts = i18n.STRINGS[key]
    assert set(texts) == set(i18n.LANGS)
    assert all(texts[lang].strip() for lang in i18n.LANGS)
    assert len({frozenset(PLACEHOLDER.findall(texts[lang])) for lang in i18n.LANGS}) == 1


def test_every_population_type_and_load_problem_has_a_label():
    for code in POPULATION_TYPES:
        assert i18n.population_type(code, "es") != i18n.population_type(code, "en")
    source = Path(load.__file__).read_text(encoding="utf-8")
    problems = set(re.findall(r'fail\("(\w+)"', source)) | set(re.findall(r'DataFileError\([^,]+, "(\w+)"', source))
    assert len(problems) > 10
    for problem in problems:
        assert f"err_{problem}" in i18n.STRINGS, problem


@pytest.mark.parametrize(
    ("requested", "browser", "expected"),
    [("en", "es-MX", "en"), ("es", "en-US", "es"), (None, "en-GB", "en"), (None, "fr-FR", "es"), ("xx", None, "es")],
)
def test_language_choice(requested, browser, expected):
    assert i18n.resolve_lang(requested, browser) == expected


def test_numbers_by_locale_and_missing_as_no_data():
    assert i18n.number(94449, "en") == "94,449"
    assert i18n.number(94449, "es") == "94.449"
    assert i18n.number(None, "es") == "sin datos"
    assert i18n.number(None, "en") == "no data"
    assert i18n.signed(-1200, "en") == "-1,200"
    assert i18n.signed(1200, "es") == "+1.200"


def test_country_names_in_both_languages_with_the_data_name_as_fallback():
    assert i18n.country_name("BLZ", "es") == "Belice"
    assert i18n.country_name("BLZ", "en") == "Belize"
    assert i18n.country_name("XXA", "en", "Stateless") == "Stateless"


def test_load_errors_read_as_a_sentence_in_each_language():
    error = load.DataFileError("unhcr_population.csv", "not_integer", row=7, column="value", value="2.4k")
    assert i18n.load_error(error, "en") == "unhcr_population.csv, row 7, column value: '2.4k' is not a whole number"
    assert i18n.load_error(error, "es") == "unhcr_population.csv, fila 7, columna value: «2.4k» no es un número entero"


@pytest.mark.parametrize(
    ("text", "lang", "shown"),
    [
        ("2020-06-29", "es", "29 de junio de 2020"),
        ("2020-06-29", "en", "June 29, 2020"),
        ("2021-06", "es", "junio de 2021"),
        ("2021-06", "en", "June 2021"),
        ("2025", "es", "2025"),
        ("2004/2018", "en", "2004/2018"),
        (None, "es", None),
    ],
)
def test_source_dates_in_words_at_their_own_precision(text, lang, shown):
    assert i18n.source_date(text, lang) == shown
