"""The on-screen grid of /data: what it shows, and its edits taking the file's path (checks, preview,
write), with the version read when the grid was built, on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest

from mirps_dash import access, grid, i18n, writes
from mirps_dash.intake import Rejected

HND_TEAM = access.Actor("ntt-hnd", "ntt", "HND")


@pytest.fixture
def engine(demo_engine):
    return demo_engine


def periods(engine) -> tuple[int, int]:
    """A period where every HND indicator has a value and one where at least one has none."""
    rows = writes.current_values(engine, HND_TEAM, "HND")
    codes = {r["code"] for r in rows}
    by_period: dict[int, set[str]] = {}
    for r in rows:
        if r["period"] is not None:
            by_period.setdefault(r["period"], set()).add(r["code"])
    full = max(p for p, found in by_period.items() if found == codes)
    gaps = max(p for p, found in by_period.items() if found != codes)
    return full, gaps


def built(engine, period: int, lang: str = "es") -> tuple[list[grid.GridRow], list[dict]]:
    rows = grid.rows_from_template(writes.template_rows(engine, HND_TEAM, "HND", lang, period))
    return rows, grid.editor_rows(rows)


def parsed(engine, raw: bytes) -> list[writes.ValueRow]:
    return writes.parse(raw, writes.known_codes(engine))


def test_the_editor_shows_no_version_and_starts_empty(engine):
    rows, cells = built(engine, periods(engine)[1])
    assert any(row.current is None for row in rows) and any(row.current is not None for row in rows)
    assert all("version" not in row for row in cells)
    assert [row["row"] for row in cells] == list(range(2, len(rows) + 2))  # the template's row numbers
    assert all(row["new_value"] is None and row["comment"] is None for row in cells)
    assert grid.import_bytes(rows, cells, "es") is None  # untouched: nothing to send


@pytest.mark.parametrize("which", ["full", "gaps"])
@pytest.mark.parametrize("lang", i18n.LANGS)
def test_an_edit_previews_and_saves_with_the_version_read(engine, which, lang):
    """The reported failure: editing a period that already has values refused the grid's own versions
    ("1.0" is not a version number)."""
    period = dict(zip(("full", "gaps"), periods(engine), strict=True))[which]
    rows, cells = built(engine, period, lang)
    for row, cell in zip(rows, cells, strict=True):  # every row: the reported ones and the missing ones
        cell["new_value"] = (row.current or 0) + 1.5
    cells[0]["comment"] = "informe anual"
    rows_read = parsed(engine, grid.import_bytes(rows, cells, lang))
    assert [(r.indicator_code, r.period, r.version) for r in rows_read] == [(r.code, period, r.version) for r in rows]
    assert rows_read[0].comment == "informe anual"
    preview = writes.preview(engine, rows_read)
    assert len(preview.changed) == sum(r.current is not None for r in rows)
    assert len(preview.new) == sum(r.current is None for r in rows)
    writes.apply(engine, HND_TEAM, rows_read)
    after = {r.code: r for r in built(engine, period, lang)[0]}
    for row in rows:
        assert after[row.code].current == (row.current or 0) + 1.5
        assert after[row.code].version == (row.version or 0) + 1


def test_a_value_changed_since_the_grid_was_built_is_a_conflict(engine):
    period = periods(engine)[0]
    rows, cells = built(engine, period)
    other = [writes.ValueRow(2, rows[0].code, period, (rows[0].current or 0) + 7, rows[0].version, None)]
    writes.apply(engine, HND_TEAM, other)  # someone else saves first
    cells[0]["new_value"] = 1
    with pytest.raises(Rejected) as rejected:
        writes.apply(engine, HND_TEAM, parsed(engine, grid.import_bytes(rows, cells, "en")))
    assert [p.code for p in rejected.value.problems] == ["conflict"]


def test_a_problem_names_the_grid_row_and_the_column_in_the_users_language(engine):
    rows, cells = built(engine, periods(engine)[1])
    cells[2]["comment"] = "sin valor"  # a comment without a value
    with pytest.raises(Rejected) as rejected:
        parsed(engine, grid.import_bytes(rows, cells, "es"))
    [problem] = rejected.value.problems
    assert (problem.row, problem.column) == (cells[2]["row"], "value")
    assert i18n.import_problem(problem, "es").startswith(f"Fila {cells[2]['row']}, columna Valor")
    assert i18n.import_problem(problem, "en").startswith(f"Row {cells[2]['row']}, column Value")


@pytest.mark.parametrize("value", [1.234, 1234.0, 0.5, 12.25, 1_000_000.0, 0.001, 1e-05, 123.456789])
def test_a_number_typed_in_the_grid_reads_back_as_the_same_number(value):
    """A grid cell holds a number, so "1.234" there is one and a fraction, not the ambiguous text of a file."""
    assert writes.parse_number(grid.number_text(value)) == value


def test_rows_that_moved_are_refused(engine):
    rows, cells = built(engine, periods(engine)[1])
    with pytest.raises(ValueError):
        grid.import_bytes(rows, list(reversed(cells)), "en")
