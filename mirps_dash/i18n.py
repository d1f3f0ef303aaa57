"""Spanish and English: the messages the app shows, read from the gettext catalogues in `locale/`, and numbers,
dates and country names by locale."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from babel import Locale
from babel.core import get_global
from babel.dates import format_date, format_skeleton
from babel.messages.mofile import read_mo
from babel.numbers import format_decimal, format_percent

LANGS = ("es", "en")
DEFAULT_LANG = "es"

LOCALE_DIR = Path(__file__).parent / "locale"  # messages.pot, and <lang>/LC_MESSAGES/messages.po and .mo
DOMAIN = "messages"


def _catalogue(lang: str) -> dict[str, str]:
    """One language's messages, key to text, from its compiled catalogue (`pybabel compile`)."""
    with (LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.mo").open("rb") as file:
        return {message.id: message.string for message in read_mo(file) if message.id}


_TEXTS = {lang: _catalogue(lang) for lang in LANGS}
STRINGS: dict[str, dict[str, str]] = {
    key: {lang: _TEXTS[lang][key] for lang in LANGS if key in _TEXTS[lang]} for key in set().union(*_TEXTS.values())
}


def t(key: str, lang: str, **values: object) -> str:
    text = STRINGS[key][lang]
    return text.format(**values) if values else text


def resolve_lang(requested: str | None, browser_locale: str | None) -> str:
    """`?lang=` wins; else the browser's language if we have it; else Spanish."""
    if requested in LANGS:
        return requested
    if browser_locale:
        language = browser_locale.replace("_", "-").split("-")[0].lower()
        if language in LANGS:
            return language
    return DEFAULT_LANG


NO_FIGURE = "—"  # where a figure would stand in a table cell or a card: no data, never zero


def number(value: float | int | None, lang: str, digits: int = 0) -> str:
    """An exact number in the locale's style; None is "no data", never zero."""
    if value is None:
        return t("no_data", lang)
    return format_decimal(round(value, digits) if digits else round(value), locale=lang)


def percent(share: float | None, lang: str) -> str:
    if share is None:
        return t("no_data", lang)
    return format_percent(share, locale=lang, format="#,##0.#%")


def signed(value: float | int | None, lang: str, digits: int = 0) -> str:
    if value is None:
        return t("no_data", lang)
    # ASCII signs: Streamlit's metric reads a leading "-" to point its delta arrow down.
    sign = "+" if value > 0 else "-" if value < 0 else "±"
    return sign + number(abs(value), lang, digits)


def long_date(value: date, lang: str) -> str:
    return format_date(value, format="long", locale=lang)


def source_date(text: str | None, lang: str) -> str | None:
    """A date as a source gives it, in words and at its own precision: "2020-06-29" -> "29 de junio de
    2020", "2021-06" -> "junio de 2021"; a year, a range or anything else stays as written."""
    if not text:
        return text
    try:
        if len(text) == 10:
            return long_date(date.fromisoformat(text), lang)
        if len(text) == 7 and text[4] == "-":
            return format_skeleton("yMMMM", date.fromisoformat(f"{text}-01"), locale=lang)
    except ValueError:
        pass
    return text


_ALPHA2 = get_global("territory_aliases")


UNHCR_CODES = {
    "UNK": {"es": "Origen desconocido", "en": "Unknown origin"},
    "XXA": {"es": "Apátridas", "en": "Stateless"},
}


def country_name(iso3: str, lang: str, fallback: str | None = None) -> str:
    """The country's name in `lang` from CLDR; UNHCR's own codes (UNK, XXA) by name; else the data's name."""
    if iso3 in UNHCR_CODES:
        return UNHCR_CODES[iso3][lang]
    alpha2 = _ALPHA2.get(iso3)
    if alpha2:
        name = Locale(lang).territories.get(alpha2[0])
        if name:
            return name
    return fallback or iso3


# The Support Platform's organisations, by the name its lists give (in English), with their official
# Spanish names: a Spanish page named them in English.
ORGANISATIONS = {
    "Central American Bank for Economic Integration (CABEI)": {
        "es": "Banco Centroamericano de Integración Económica (BCIE)"
    },
    "Economic Commission for Latin America and the Caribbean (ECLAC)": {
        "es": "Comisión Económica para América Latina y el Caribe (CEPAL)"
    },
    "European Union": {"es": "Unión Europea"},
    "Inter-American Development Bank (IDB)": {"es": "Banco Interamericano de Desarrollo (BID)"},
    "Organization of American States (OAS)": {"es": "Organización de los Estados Americanos (OEA)"},
    "UNHCR": {"es": "ACNUR"},
    "World Bank Group": {"es": "Grupo Banco Mundial"},
}


# The annual meetings' venues, by the name their sources give (in English), with their Spanish names. Every
# venue is listed, those the same in both languages too, so a new one is a decision, not an oversight.
PLACES = {
    "Belize City": {"es": "Ciudad de Belice"},
    "Guatemala (Cities of Solidarity event in Antigua Guatemala)": {
        "es": "Guatemala (evento de Ciudades Solidarias en Antigua Guatemala)"
    },
    "Heredia": {"es": "Heredia"},
    "Mexico City": {"es": "Ciudad de México"},
    "Panama City": {"es": "Ciudad de Panamá"},
    "Tegucigalpa": {"es": "Tegucigalpa"},
}


def _named(names: dict[str, dict[str, str]], name: str, lang: str) -> str:
    """`name` (as its English source gives it) in `lang`, from `names`; else as given."""
    return names.get(name, {}).get(lang, name)


def place_name(place: str, lang: str) -> str:
    return _named(PLACES, place, lang)


def member_name(name: str, iso3: str | None, lang: str) -> str:
    """A Support Platform member in `lang`: a State by its code, an organisation by its name."""
    if iso3 and iso3 in _ALPHA2:
        return country_name(iso3, lang, name)
    return _named(ORGANISATIONS, name, lang)


def country_names(codes, lang: str) -> str:
    """The countries' names in `lang`, comma-separated (a filter's value, the States a chart leaves out)."""
    return ", ".join(country_name(code, lang) for code in codes)


def population_type(code: str, lang: str) -> str:
    return t(f"type_{code}", lang)


# What the displacement figures mean, in the order a reader needs them.
DEFINITIONS = (
    "def_asylum_vs_origin",
    "def_refugees",
    "def_asylum_seekers",
    "def_oip",
    "def_idps",
    "def_stateless",
    "def_ooc",
    "def_returned_refugees",
    "def_returned_idps",
    "def_stocks",
)


def definitions(lang: str, keys: tuple[str, ...] = DEFINITIONS, *, bullets: bool = False) -> str:
    """The definitions as one Markdown text, one paragraph or list item each: a page shows them as one
    element (each element is a message to every visitor and a component for the browser to draw)."""
    texts = [_named_definition(key, lang) for key in keys]
    if bullets:
        return "\n".join(f"- {text}" for text in texts)
    return "\n\n".join(texts)


def _named_definition(key: str, lang: str) -> str:
    """A population type's definition opens with the type's name, as the selectors and tables call it."""
    name = f"type_{key.removeprefix('def_')}"
    return f"**{t(name, lang)}**: {t(key, lang)}" if name in STRINGS else t(key, lang)


def load_error(error, lang: str) -> str:
    """A `load.DataFileError` as one sentence in `lang`, naming file, row and column."""
    if error.row and error.column:
        where = t("err_where", lang, file=error.file, row=error.row, column=error.column)
    elif error.row:
        where = t("err_where_row", lang, file=error.file, row=error.row)
    else:
        where = t("err_where_file", lang, file=error.file)
    return f"{where}: {t('err_' + error.problem, lang, **error.detail)}"


# The indicator-values fields a problem names, as the grid and the preview head them.
IMPORT_COLUMNS = {
    "indicator_code": "col_indicator_code",
    "period": "col_period",
    "value": "imp_col_value",
    "version": "col_version",
    "comment": "col_comment",
}


def import_problem(problem, lang: str) -> str:
    """A `writes.Problem` as one line in `lang`: where (row, column) and what is wrong."""
    if problem.row and problem.column:
        column = t(IMPORT_COLUMNS[problem.column], lang) if problem.column in IMPORT_COLUMNS else problem.column
        where = t("imp_where_row_column", lang, row=problem.row, column=column)
    elif problem.row:
        where = t("imp_where_row", lang, row=problem.row)
    else:
        where = t("imp_where_file", lang)
    if problem.code.startswith("ref_"):  # a reference file cell, checked as the shipped files are
        return f"{where}: {t('err_' + problem.code.removeprefix('ref_'), lang, **problem.detail)}"
    return f"{where}: {t('imp_' + problem.code, lang, **problem.detail)}"
