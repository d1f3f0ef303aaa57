"""Loading the shipped data: complete, linked to sources, idempotent, and all-or-nothing on bad files."""

from __future__ import annotations

import hashlib
import shutil

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import func, inspect, select, text

from mirps_dash import catalog, database, load
from mirps_dash.schema import Base, DataFile, Source
from tests import truth


def table_counts(engine) -> dict[str, int]:
    with engine.connect() as connection:
        return {
            spec.model.__tablename__: connection.execute(select(func.count()).select_from(spec.model)).scalar_one()
            for spec in load.shipped_files()
        }


def fingerprint(engine) -> str:
    """A hash of every row of every table, to prove a failed load changed nothing."""
    digest = hashlib.sha256()
    with engine.connect() as connection:
        for table in sorted(inspect(engine).get_table_names()):
            for row in connection.execute(text(f'SELECT * FROM "{table}" ORDER BY 1')):
                digest.update(repr(tuple(row)).encode())
    return digest.hexdigest()


def test_the_migrations_build_exactly_the_schema_the_model_describes(empty_url):
    """Every table, column, key and index of `schema` comes from a migration, and nothing else does: an
    index added to the model alone would exist in the tests' databases and be missing in every deployed one."""
    engine = database.make_engine(empty_url)
    database.upgrade(engine)
    with engine.connect() as connection:
        assert compare_metadata(MigrationContext.configure(connection), Base.metadata) == []


def test_every_shipped_file_loads_with_its_row_count(empty_url):
    engine = database.make_engine(empty_url)
    reports = load.load_shipped_data(engine)
    for spec, report in zip(load.shipped_files(), reports, strict=True):
        assert report.rows == len(truth.rows(spec.name)), spec.name
        assert report.changed


def test_loading_twice_changes_nothing(empty_url):
    engine = database.make_engine(empty_url)
    load.load_shipped_data(engine)
    before_counts, before = table_counts(engine), fingerprint(engine)
    second = load.load_shipped_data(engine)
    assert not any(report.changed for report in second)
    assert table_counts(engine) == before_counts
    assert fingerprint(engine) == before
    assert not load.needs_load(engine)


def test_every_row_points_at_a_registered_source(loaded_sqlite_url):
    engine = database.make_engine(loaded_sqlite_url)
    with engine.connect() as connection:
        registered = set(connection.execute(select(Source.key)).scalars())
        assert registered == set(catalog.SOURCES_BY_KEY)
        for spec in load.shipped_files():
            used = set(connection.execute(select(spec.model.source_id).distinct()).scalars())
            assert used, spec.name
            assert used <= set(spec.source_keys), spec.name


def test_idmc_rows_keep_their_own_source(loaded_sqlite_url):
    from mirps_dash.schema import IdmcDisplacement

    engine = database.make_engine(loaded_sqlite_url)
    with engine.connect() as connection:
        stored = dict(
            connection.execute(
                select(IdmcDisplacement.source_id, func.count()).group_by(IdmcDisplacement.source_id)
            ).all()
        )
    expected: dict[str, int] = {}
    for row in truth.rows("idmc_displacement.csv"):
        expected[row["source_id"]] = expected.get(row["source_id"], 0) + 1
    assert stored == expected


def test_a_changed_file_is_reloaded_and_only_that_one(tmp_path, empty_sqlite_url):
    data = tmp_path / "data"
    shutil.copytree(truth.DATA, data)
    engine = database.make_engine(empty_sqlite_url)
    load.load_shipped_data(engine, data_dir=data)
    lines = (data / "mirps_pro_tempore_presidency.csv").read_text(encoding="utf-8").splitlines()
    (data / "mirps_pro_tempore_presidency.csv").write_text("\n".join(lines[:-1]) + "\n", encoding="utf-8")
    reports = {r.name: r for r in load.load_shipped_data(engine, data_dir=data)}
    assert reports["mirps_pro_tempore_presidency.csv"].changed
    assert reports["mirps_pro_tempore_presidency.csv"].rows == len(lines) - 2
    assert [name for name, r in reports.items() if r.changed] == ["mirps_pro_tempore_presidency.csv"]


def corrupt(data, name: str, old: str, new: str, count: int = 1) -> None:
    path = data / name
    content = path.read_text(encoding="utf-8")
    assert old in content
    path.write_text(content.replace(old, new, count), encoding="utf-8")


BAD_FILES = [
    # (file, old text, new text, problem, row, column)
    (
        "unhcr_population.csv",
        "2016,BLZ,Belize,asylum,asylum_seekers,2427",
        "2016,BLZ,Belize,asylum,asylum_seekers,2.4k",
        "not_integer",
        2,
        "value",
    ),
    (
        "unhcr_population.csv",
        "2017,BLZ,Belize,asylum,asylum_seekers,3120",
        "2017,BLZ,Belize,asylum,refugiados,3120",
        "not_allowed",
        3,
        "population_type",
    ),
    (
        "unhcr_population.csv",
        "2016,BLZ,Belize,asylum,asylum_seekers,2427",
        "2016,BLZ,Belize,asylum,asylum_seekers,-5",
        "negative",
        2,
        "value",
    ),
    (
        "unhcr_population.csv",
        "2017,BLZ,Belize,asylum,asylum_seekers,3120",
        "2016,BLZ,Belize,asylum,asylum_seekers,1",
        "duplicate_row",
        3,
        "year, country_iso3, role, population_type",
    ),
    ("unhcr_population.csv", "year,country_iso3", "year,country", "missing_column", 1, "country_iso3"),
    ("cities_of_solidarity.csv", ",14.0818,", ",north,", "not_number", 2, "lat"),
    ("idmc_displacement.csv", "iom_gdidata_idmc_stocks", "somewhere_else", "not_allowed", 2, "source_id"),
    ("workplan_2021_events.csv", ",false,", ",maybe,", "not_boolean", 2, "tbc"),
    ("mirps_pro_tempore_presidency.csv", "2019,MEX,", "2019,Mexico,", "not_iso3", 2, "country_iso3"),
]


@pytest.mark.parametrize(("name", "old", "new", "problem", "row", "column"), BAD_FILES)
def test_a_bad_cell_is_named_and_the_database_is_left_as_it_was(
    tmp_path, empty_sqlite_url, name, old, new, problem, row, column
):
    data = tmp_path / "data"
    shutil.copytree(truth.DATA, data)
    engine = database.make_engine(empty_sqlite_url)
    load.load_shipped_data(engine, data_dir=data)
    before = fingerprint(engine)
    corrupt(data, name, old, new)
    with pytest.raises(load.DataFileError) as raised:
        load.load_shipped_data(engine, data_dir=data)
    error = raised.value
    assert (error.file, error.problem, error.row, error.column) == (name, problem, row, column)
    assert fingerprint(engine) == before


def test_a_missing_file_stops_the_load_before_anything_is_written(tmp_path, empty_sqlite_url):
    data = tmp_path / "data"
    shutil.copytree(truth.DATA, data)
    (data / "unhcr_solutions.csv").unlink()
    engine = database.make_engine(empty_sqlite_url)
    with pytest.raises(load.DataFileError) as raised:
        load.load_shipped_data(engine, data_dir=data)
    assert (raised.value.file, raised.value.problem) == ("unhcr_solutions.csv", "missing_file")
    assert not inspect(engine).get_table_names()


def test_a_file_that_is_not_utf8_names_its_line(tmp_path, empty_sqlite_url):
    data = tmp_path / "data"
    shutil.copytree(truth.DATA, data)
    path = data / "mirps_annual_meetings.csv"
    path.write_bytes(path.read_bytes().replace("Declaración".encode(), "Declaración".encode("cp1252")))
    with pytest.raises(load.DataFileError) as raised:
        load.load_shipped_data(database.make_engine(empty_sqlite_url), data_dir=data)
    assert (raised.value.problem, raised.value.row) == ("not_utf8", 3)


def test_a_failure_inside_the_transaction_rolls_everything_back(tmp_path, empty_sqlite_url, monkeypatch):
    """A write that fails half-way (here: the last file) leaves no file loaded and no hash recorded."""
    engine = database.make_engine(empty_sqlite_url)
    load.load_shipped_data(engine, files=load.shipped_files()[:1])
    before = fingerprint(engine)
    last = load.shipped_files()[-1]
    real_read = load.read_shipped_file

    def read_with_a_bad_row(spec, data_dir):
        rows, digest = real_read(spec, data_dir)
        if spec.name == last.name:
            required = next(c.name for c in spec.model.__table__.columns if not c.nullable and c.name != "id")
            rows = [{**rows[0], required: None}, *rows[1:]]  # NOT NULL violated in the database itself
        return rows, digest

    monkeypatch.setattr(load, "read_shipped_file", read_with_a_bad_row)
    with pytest.raises(Exception, match=r"(?i)null"):
        load.load_shipped_data(engine)
    assert fingerprint(engine) == before
    with engine.connect() as connection:
        assert connection.execute(select(func.count()).select_from(DataFile)).scalar_one() == 1


def test_a_new_work_plan_year_is_added_by_adding_its_files(tmp_path, empty_sqlite_url):
    """A fixture year (2022) beside the shipped 2021 plan: loaded as its own year, and reloading it leaves
    2021 alone."""
    data = tmp_path / "data"
    shutil.copytree(truth.DATA, data)
    for part in ("events", "working_groups", "outcomes", "partnerships"):
        lines = (data / f"workplan_2021_{part}.csv").read_text(encoding="utf-8").splitlines()
        (data / f"workplan_2022_{part}.csv").write_text("\n".join(lines[:3]) + "\n", encoding="utf-8")
    engine = database.make_engine(empty_sqlite_url)
    load.load_shipped_data(engine, data_dir=data)

    def events_per_year() -> dict[int, int]:
        with engine.connect() as connection:
            return dict(
                connection.execute(text("SELECT plan_year, COUNT(*) FROM workplan_event GROUP BY plan_year")).all()
            )

    assert events_per_year() == {2021: len(truth.rows("workplan_2021_events.csv")), 2022: 2}
    lines = (data / "workplan_2022_events.csv").read_text(encoding="utf-8").splitlines()
    (data / "workplan_2022_events.csv").write_text("\n".join(lines[:2]) + "\n", encoding="utf-8")
    reports = {r.name: r for r in load.load_shipped_data(engine, data_dir=data)}
    assert reports["workplan_2022_events.csv"].changed and reports["workplan_2022_events.csv"].rows == 1
    assert events_per_year() == {2021: len(truth.rows("workplan_2021_events.csv")), 2022: 1}
