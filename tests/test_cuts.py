"""Data cuts: figures frozen under a name stay put while the live ones move; what changed between cuts;
the cut's name on the slides, the factsheet, the deck and the spreadsheet; the command line; both databases."""

from __future__ import annotations

import io
import subprocess
import sys
from datetime import date

import openpyxl
import pytest
from pptx import Presentation
from sqlalchemy import func, select, text

from mirps_dash import access, briefing, cuts, database, factsheet, i18n, load, pptx_deck, queries, settings, slides
from mirps_dash.schema import AuditEntry
from tests import truth
from tests.conftest import ROOT, app_pointed_at, open_page
from tests.test_factsheet import page_texts

FIRST, SECOND = "Plenary 2025-05", "Plenary 2025-11"
COUNTRY = "HND"
STEP = 1000  # people the tests add to one UNHCR row between cuts


def year() -> int:
    return truth.latest_year()


def changed_row() -> str:
    """A protection type hosted by the test country in the latest year (so the change moves a headline)."""
    for population_type in sorted(truth.PROTECTION):
        if truth.value(year(), COUNTRY, "asylum", population_type):
            return population_type
    raise AssertionError("the shipped data has no protection row to change")


def add_people(url: str, people: int) -> None:
    """Change one UNHCR population row in place, as a corrected file or an edit would."""
    with database.make_engine(url).begin() as connection:
        connection.execute(
            text(
                "UPDATE population SET value = value + :people WHERE year = :year AND country_iso3 = :country "
                "AND role = 'asylum' AND population_type = :type"
            ),
            {"people": people, "year": year(), "country": COUNTRY, "type": changed_row()},
        )


def shipped_hosted() -> tuple[int, int]:
    """People hosted in the region and in the test country in the latest year, from the shipped files."""
    return truth.protection_total("asylum", year()), truth.protection_total_country("asylum", year(), COUNTRY)


def loaded(url: str) -> queries.Reader:
    load.load_shipped_data(database.make_engine(url))
    return queries.Reader(url)


def hosted(data: briefing.Data, country: str | None = None) -> str:
    """The "people hosted" card as the slide shows it, in English."""
    return briefing.headline(data, "en", year(), country)[0].value


def test_a_cut_keeps_its_figures_when_the_data_changes(empty_url):
    reader = loaded(empty_url)
    made = cuts.create(reader, FIRST, date(2025, 5, 31))
    add_people(empty_url, STEP)
    live = briefing.FromReader(queries.Reader(empty_url))
    frozen = cuts.load(reader.engine, FIRST)
    region, country = shipped_hosted()
    assert hosted(frozen) == hosted(made) == truth.grouped(region, "en")
    assert hosted(frozen, COUNTRY) == truth.grouped(country, "en")
    assert hosted(live) == truth.grouped(region + STEP, "en")
    assert hosted(live, COUNTRY) == truth.grouped(country + STEP, "en")
    assert frozen.as_of == date(2025, 5, 31) and frozen.created_by == "cli"


def test_changes_lists_exactly_the_figures_that_moved(empty_url):
    reader = loaded(empty_url)
    first = cuts.create(reader, FIRST, date(2025, 5, 31))
    add_people(empty_url, STEP)
    second = cuts.create(reader, SECOND, date(2025, 11, 30))
    region, country = shipped_hosted()
    assert cuts.changes(first, second) == [
        cuts.Change(cuts.REGION, "hosted", region, region + STEP, year(), year()),
        cuts.Change(COUNTRY, "hosted", country, country + STEP, year(), year()),
    ]
    assert cuts.changes(second, second) == []
    assert cuts.changes(first, cuts.figures(briefing.FromReader(reader))) == cuts.changes(first, second)
    assert [info.name for info in cuts.list_cuts(reader.engine)] == [FIRST, SECOND]
    assert cuts.previous(reader.engine, SECOND).name == FIRST
    assert cuts.previous(reader.engine, FIRST) is None
    assert cuts.previous(reader.engine, None).name == SECOND  # live figures compare with the newest cut
    line = cuts.changes(first, second)[0].line("en")
    assert line == (
        f"{i18n.t('cut_region', 'en')} · {i18n.t('kpi_hosted', 'en')}: "
        f"{truth.grouped(region, 'en')} → {truth.grouped(region + STEP, 'en')}"
    )


def test_only_approvers_create_cuts_and_names_are_checked(empty_url):
    reader = loaded(empty_url)
    for role in ("viewer", "ntt"):
        with pytest.raises(access.Refused):
            cuts.create(reader, FIRST, date(2025, 11, 30), actor=access.Actor("someone", role, "HND"))
    assert cuts.list_cuts(reader.engine) == []
    made = cuts.create(reader, f"  {FIRST} ", date(2025, 11, 30), actor=access.Actor("ppt_lead", "ppt"))
    assert (made.name, made.created_by) == (FIRST, "ppt_lead")
    with pytest.raises(cuts.CutError) as exists:
        cuts.create(reader, FIRST, date(2025, 11, 30))
    assert exists.value.code == "exists"
    for bad in ("", "   ", "a\nb", "x" * (cuts.MAX_NAME + 1)):
        with pytest.raises(cuts.CutError) as refused:
            cuts.create(reader, bad, date(2025, 11, 30))
        assert refused.value.code == "bad_name"
    with reader.engine.connect() as connection:
        outcomes = connection.execute(
            select(AuditEntry.outcome, func.count()).where(AuditEntry.action == "cut_create").group_by("outcome")
        ).all()
    assert dict(outcomes) == {"refused": 2, "ok": 1}


def test_an_empty_database_has_nothing_to_freeze(empty_sqlite_url):
    engine = database.make_engine(empty_sqlite_url)
    database.upgrade(engine)
    with pytest.raises(cuts.CutError) as error:
        cuts.create(queries.Reader(empty_sqlite_url), FIRST, date(2025, 11, 30))
    assert error.value.code == "no_data"
    assert error.value.message("es") == i18n.t("cut_err_no_data", "es")


@pytest.fixture(scope="module")
def two_cuts(tmp_path_factory) -> str:
    """A database with two cuts a change apart, and live figures moved on again since the second."""
    url = f"sqlite:///{tmp_path_factory.mktemp('cuts') / 'mirps.sqlite'}"
    reader = loaded(url)
    cuts.create(reader, FIRST, date(2025, 5, 31))
    add_people(url, STEP)
    cuts.create(reader, SECOND, date(2025, 11, 30))
    add_people(url, STEP)
    return url


def test_a_frozen_deck_is_drawn_exactly_as_the_live_one_was(two_cuts):
    """The cut's second slide list equals the deck drawn live when it was made: titles, cards, charts."""
    frozen = cuts.load(database.make_engine(two_cuts), SECOND)
    for deck in ("region", COUNTRY):
        for lang in i18n.LANGS:
            drawn = briefing.deck(frozen, deck, lang)
            assert [c.title for c in drawn] == [s["title"] for s in frozen.content["slides"][deck][lang]]
            assert [list(c.sources) for c in drawn] == [s["sources"] for s in frozen.content["slides"][deck][lang]]
    region = truth.protection_total("asylum", year())
    assert hosted(frozen) == truth.grouped(region + STEP, "en")


@pytest.fixture
def cut_app(two_cuts, monkeypatch):
    yield from app_pointed_at(two_cuts, monkeypatch)


def captions(app) -> str:
    return " ".join(c.value for c in app.caption)


def test_presentation_shows_the_cut_s_name_and_its_frozen_figures(cut_app):
    region = truth.protection_total("asylum", year())
    app = open_page(lang="en", present="1", cut=FIRST)
    assert not app.exception
    assert app.selectbox(key="cut").value == FIRST
    assert app.metric[0].value == truth.grouped(region, "en")
    frozen = cuts.load(database.make_engine(cut_app), FIRST)
    assert frozen.stamp("en") in captions(app)
    app = open_page(lang="en", present="1", cut=FIRST, slide="4")  # a chart slide carries the name too
    assert frozen.stamp("en") in captions(app)


def test_presentation_lists_what_changed_since_the_previous_cut(cut_app):
    region = truth.protection_total("asylum", year())
    country = truth.protection_total_country("asylum", year(), COUNTRY)
    app = open_page(lang="es", present="1", cut=SECOND)
    assert app.metric[0].value == truth.grouped(region + STEP, "es")
    shown = captions(app)
    assert i18n.t("cut_changes", "es", previous=FIRST) in shown
    assert f"{truth.grouped(region, 'es')} → {truth.grouped(region + STEP, 'es')}" in shown
    # the first slide lists every change of the deck, the country's too
    assert f"{truth.grouped(country, 'es')} → {truth.grouped(country + STEP, 'es')}" in shown


def test_live_figures_are_the_default_and_say_what_moved_since_the_newest_cut(cut_app):
    region = truth.protection_total("asylum", year())
    app = open_page(lang="en", present="1")
    assert app.selectbox(key="cut").value == ""
    assert "cut" not in app.query_params
    assert app.metric[0].value == truth.grouped(region + 2 * STEP, "en")
    assert i18n.t("cut_changes_live", "en", previous=SECOND) in captions(app)
    app.selectbox(key="cut").set_value(FIRST).run()
    assert app.query_params["cut"] == FIRST
    assert app.metric[0].value == truth.grouped(region, "en")


def test_an_unknown_cut_falls_back_to_live_figures_and_says_so(cut_app):
    app = open_page(lang="en", present="1", cut="No such meeting")
    assert not app.exception
    assert i18n.t("cut_err_unknown", "en", name="No such meeting") in " ".join(w.value for w in app.warning)
    assert app.selectbox(key="cut").value == ""


def test_the_factsheet_from_a_cut_carries_its_name_on_every_page(two_cuts):
    frozen = cuts.load(database.make_engine(two_cuts), FIRST)
    texts = page_texts(factsheet.pdf(frozen, "es", frozen.stamp("es")))
    assert len(texts) == 1 + 2 * len(settings.MIRPS_COUNTRIES)  # each State's page and its protection page
    assert all(frozen.stamp("es") in page for page in texts)
    assert all(i18n.t("credit", "es") in page for page in texts)
    assert truth.grouped(truth.protection_total("asylum", year()), "es") in texts[0]


def test_the_deck_from_a_cut_carries_its_name_in_every_footer_and_note(two_cuts):
    frozen = cuts.load(database.make_engine(two_cuts), FIRST)
    deck = Presentation(io.BytesIO(pptx_deck.pptx(frozen, "en", COUNTRY, frozen.stamp("en"))))
    assert len(deck.slides) == len(slides.deck(COUNTRY))
    for slide in deck.slides:
        texts = " ".join(shape.text_frame.text for shape in slide.shapes if shape.has_text_frame)
        notes = slide.notes_slide.notes_text_frame.text
        assert frozen.stamp("en") in texts and frozen.stamp("en") in notes
        assert i18n.t("credit", "en") in texts
        assert f"{i18n.t('meta_deck', 'en')}: Honduras" in notes  # the filters the deck was made with
    country = truth.protection_total_country("asylum", year(), COUNTRY)
    first = " ".join(shape.text_frame.text for shape in deck.slides[0].shapes if shape.has_text_frame)
    assert truth.grouped(country, "en") in first


def test_the_cut_s_figures_as_a_spreadsheet_name_the_cut_and_the_sources(two_cuts):
    frozen = cuts.load(database.make_engine(two_cuts), SECOND)
    workbook = openpyxl.load_workbook(io.BytesIO(cuts.xlsx(frozen, "en")))
    metadata = {row[0]: row[1] for row in workbook["metadata"].iter_rows(values_only=True)}
    assert metadata[i18n.t("meta_cut", "en")] == SECOND
    assert metadata[i18n.t("meta_cut_as_of", "en")] == "2025-11-30"
    assert any(i18n.t("meta_source", "en") == key for key in metadata)
    rows = list(workbook["data"].iter_rows(values_only=True))
    region = next(r for r in rows[1:] if r[0] == i18n.t("cut_region", "en") and r[2] == "hosted")
    assert region[3:] == (year(), truth.protection_total("asylum", year()) + STEP)


def run_cli(url: str, *args: str) -> subprocess.CompletedProcess:
    command = [sys.executable, "-m", "mirps_dash", "--database-url", url, "--lang", "en", *args]
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=300)


def test_the_command_line_creates_and_lists_cuts(empty_url, tmp_path):
    created = run_cli(empty_url, "cut", "create", SECOND, "--as-of", "2025-11-30")
    assert created.returncode == 0, created.stderr
    assert SECOND in created.stdout
    again = run_cli(empty_url, "cut", "create", SECOND, "--as-of", "2025-11-30")
    assert again.returncode == 2
    assert i18n.t("cut_err_exists", "en", name=SECOND) in again.stderr
    listed = run_cli(empty_url, "cut", "list")
    assert listed.returncode == 0, listed.stderr
    fields = listed.stdout.splitlines()[0].split("\t")
    assert (fields[0], fields[1], fields[3]) == (SECOND, "2025-11-30", "cli")
    out = tmp_path / "deck.pptx"
    drawn = run_cli(empty_url, "deck", "--deck", COUNTRY, "--cut", SECOND, "--out", str(out))
    assert drawn.returncode == 0, drawn.stderr
    notes = Presentation(str(out)).slides[0].notes_slide.notes_text_frame.text
    assert SECOND in notes
    missing = run_cli(empty_url, "deck", "--cut", "No such meeting", "--out", str(tmp_path / "x.pptx"))
    assert missing.returncode == 2
    assert i18n.t("cut_err_unknown", "en", name="No such meeting") in missing.stderr


def test_an_approver_freezes_the_figures_from_presentation_mode(tmp_path, monkeypatch):
    from mirps_dash import accounts
    from tests.test_auth import PASSWORD, open_as

    url = f"sqlite:///{tmp_path / 'mirps.sqlite'}"
    engine = loaded(url).engine
    accounts.add_user(engine, "ppt_lead", "ppt", PASSWORD)
    accounts.add_user(engine, "donor", "viewer", PASSWORD)
    pointed = app_pointed_at(url, monkeypatch)
    next(pointed)
    label = i18n.t("cut_name", "en")
    for username in (None, "donor"):
        app = open_as(username, engine, present="1")
        assert not app.exception
        assert label not in [box.label for box in app.text_input], username
    app = open_as("ppt_lead", engine, present="1")
    next(box for box in app.text_input if box.label == label).set_value(SECOND)
    next(b for b in app.button if b.label == i18n.t("cut_create_button", "en")).click().run()
    assert not app.exception
    assert [(info.name, info.created_by) for info in cuts.list_cuts(engine)] == [(SECOND, "ppt_lead")]
    assert app.query_params["cut"] == SECOND
    assert app.selectbox(key="cut").value == SECOND
    next(pointed, None)
