"""The shipped sources' own texts in the reader's language.

The work plan and the MIRPS facts are published in English. Their Spanish translations ship beside them in
data/ as `<column>_es` columns (marked as translations in data/SOURCES.md) and load with the rest. A page in
Spanish shows the translation and keeps the English as `<column>_original`, one click away; in English the
translation columns are dropped. Free text keeps the source's wording but not its ISO dates ("confirmed by
OAS on 2021-12-17" reads "confirmed by OAS on 17 December 2021").
"""

from __future__ import annotations

import re

import polars as pl

from mirps_dash import i18n, memo

SPANISH = "_es"
ORIGINAL = "_original"
ISO_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")


def translated_columns(frame: pl.DataFrame) -> list[str]:
    return [c for c in frame.columns if f"{c}{SPANISH}" in frame.columns]


@memo.by_content
def in_language(frame: pl.DataFrame, lang: str) -> pl.DataFrame:
    """`frame` with each translated column in `lang`. In Spanish a row without a translation keeps the English
    (a gap tests/test_language.py reports, never a blank)."""
    columns = translated_columns(frame)
    spanish = [f"{c}{SPANISH}" for c in columns]
    if lang != "es" or not columns:
        return frame.drop(spanish)
    return frame.with_columns(
        *(pl.col(c).alias(f"{c}{ORIGINAL}") for c in columns),
        *(pl.coalesce(f"{c}{SPANISH}", c).alias(c) for c in columns),
    ).drop(spanish)


def originals(row: dict, columns: tuple[str, ...]) -> list[str]:
    """The English originals of a row's translated cells (none on an English page)."""
    return [row[f"{c}{ORIGINAL}"] for c in columns if row.get(f"{c}{ORIGINAL}")]


def readable(text: str | None, lang: str) -> str:
    """A source's free text with its ISO dates in words, in `lang`."""
    return ISO_DATE.sub(lambda m: i18n.source_date(m.group(0), lang) or m.group(0), text or "")


# The notes the Support Platform's member list carries on each published version (data/SOURCES.md §6), in
# Spanish; a note not here (a version added later) shows as written.
ARCHIVED = re.compile(r"^archived (\d{4}-\d{2}-\d{2})$")
VERSION_NOTES = {
    "crawl A: text on Canada chair from July 2021": "copia A: texto sobre la presidencia de Canadá desde julio de 2021",
    "crawl B: UNHCR as Secretariat": "copia B: ACNUR como Secretaría",
    "crawl C: Colombia chair 2025; UNHCR+OAS Secretariat": (
        "copia C: presidencia de Colombia en 2025; Secretaría ACNUR y OEA"
    ),
}


def version_note(note: str, lang: str) -> str:
    """A published list's note in `lang`: "archived 2022-10-21" -> "copia archivada el 21 de octubre de 2022"."""
    if archived := ARCHIVED.match(note):
        return i18n.t("version_archived", lang, date=i18n.source_date(archived.group(1), lang))
    return VERSION_NOTES.get(note, note) if lang == "es" else note
