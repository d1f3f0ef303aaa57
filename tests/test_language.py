"""Every page wholly in the reader's language: no English word a Spanish reader sees (from the data, the
app or Streamlit), and no Spanish one on an English page; no ISO date and no raw code either.

What a reader sees is read from the page's elements under AppTest: texts, labels, options, help, chart
titles, the rows a chart or table draws. The English original of a translation, one click away by design,
is left out; so are addresses and the frame's styles. Streamlit's own words that AppTest cannot see (a
table's toolbar, a file box's "Upload") are covered by the frame's styles, checked here as present.
"""

from __future__ import annotations

import csv
import io
import json
import re
import secrets

import polars as pl
import pyarrow as pa
import pytest
from google.protobuf.message import Message

from mirps_dash import accounts, auth, database, embeds, i18n, load, queries, settings, translations, ui
from tests.conftest import app_pointed_at, new_app

# Words of one language that do not occur in running text of the other (a Spanish "sector", "total",
# "plan", "regional" or "civil" is Spanish too, so they are not here).
ENGLISH_WORDS = """the and of with for by from this that which is are was were has have been their its or into within
    between after before would should could will must who what when where these those than there our
    your not only also such more most less each every all any some other new first second year years
    month page download upload files file limit drag drop browse search fullscreen show hide columns
    rows copy clear select choose none sort delete add edit save cancel submit approved validated
    reported meeting meetings event events group groups working private society support platform members
    member fund funding pledge pledged paid committed need needs gap people persons displaced refugees
    asylum seekers stateless returnees hosted host country countries state states million thousand
    illustrative on at in as an it to be we you per"""
SPANISH_WORDS = """de del la las los y en con para por que una sin datos personas año años según desde hasta más sobre
    fuente fuentes también está son como país países ilustrativo reunión informe cada entre sus"""
ENGLISH, SPANISH = set(ENGLISH_WORDS.split()), set(SPANISH_WORDS.split())
# Proper names a page may show in either language: they are names, not words of the other language.
NAMES = re.compile(r"Refugee Data Finder|CC BY( \d\.\d)?|El Salvador|Ciudad de México")
ISO_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")
CODES = re.compile(r"\bF\d{2}\b|\(ppt\)|\bppt\b")
# Where a reader sees no text: addresses, identifiers, styles, code a visitor copies.
HIDDEN = {"id", "form_id", "key", "url", "page", "page_script_hash", "query_string", "icon", "type", "language"}
HIDDEN |= {"deferred_file_id", "datasets"}  # a chart's rows carry codes its labels name; a file's id
HIDDEN_ELEMENTS = {"Html", "Code"}


def _arrow_strings(data: bytes) -> list[str]:
    table = pa.ipc.open_stream(io.BytesIO(data)).read_all()
    texts = [str(name) for name in table.column_names if not str(name).startswith("__")]
    for column in table.columns:
        if pa.types.is_string(column.type) or pa.types.is_large_string(column.type):
            texts += [value for value in column.to_pylist() if value]
    return texts


def _spec_strings(spec: str) -> list[str]:
    """A chart's titles, axis and legend titles and text marks."""
    found = []

    def walk(node):
        if isinstance(node, dict):
            for key, value in node.items():
                if key in ("title", "text", "description") and isinstance(value, str):
                    found.append(value)
                elif key in ("title", "text") and isinstance(value, list):
                    found.extend(v for v in value if isinstance(v, str))
                else:
                    walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(json.loads(spec))
    return found


def _proto_strings(message: Message) -> list[str]:
    texts = []
    for field, value in message.ListFields():
        if field.name in HIDDEN:
            continue
        values = value if isinstance(value, list | tuple) or type(value).__name__.startswith("Repeated") else [value]
        for item in values:
            if isinstance(item, Message):
                texts += _proto_strings(item)
            elif field.name == "spec" and isinstance(item, str):
                texts += _spec_strings(item)
            elif (
                field.name == "data" and isinstance(item, bytes) and item and message.DESCRIPTOR.name != "NamedDataSet"
            ):
                texts += _arrow_strings(item)
            elif isinstance(item, str) and field.name not in ("theme", "name", "columns", "raw_value", "raw_values"):
                texts.append(item)
    return texts


def shown_text(app, lang: str, *, originals: bool = False) -> list[str]:
    """Every string a reader of the page can see, but the English originals kept one click away (with
    `originals`, those too)."""
    original = i18n.t("original_english", lang)
    texts = []

    def walk(node):
        kind = type(node).__name__
        proto = getattr(node, "proto", None)
        if kind == "Expander" and getattr(node, "label", None) == original and not originals:
            return
        if kind not in HIDDEN_ELEMENTS and isinstance(proto, Message):
            texts.extend(_proto_strings(proto) if kind != "Expander" else [node.label])
        children = getattr(node, "children", None)
        for child in children.values() if isinstance(children, dict) else ():
            walk(child)

    walk(app._tree)
    return texts


def _readable(text: str) -> str:
    """The words of a text without its addresses, proper names and Markdown link targets."""
    text = re.sub(r"\]\(<?[^)>]*>?\)", "]", text)  # [label](address)
    text = re.sub(r"https?://\S+|\b[\w.-]+\?[\w=&.-]+|\bindicator\?\S+", " ", text)
    return NAMES.sub(" ", text)


def foreign_words(texts: list[str], lang: str) -> dict[str, set[str]]:
    other = ENGLISH if lang == "es" else SPANISH
    found = {}
    for text in texts:
        words = {w for w in re.findall(r"[^\W\d_]+", _readable(text)) if w.lower() in other}
        if words:
            found[text[:160]] = words
    return found


def raw_codes(texts: list[str]) -> list[str]:
    return [text[:160] for text in texts if ISO_DATE.search(_readable(text)) or CODES.search(_readable(text))]


@pytest.fixture(scope="module")
def team_url(demo_sqlite_url) -> str:
    """The shipped data, the illustrative indicators and a Honduran national team's account."""
    accounts.add_user(database.make_engine(demo_sqlite_url), "ntt-hnd", "ntt", secrets.token_urlsafe(16), "HND")
    return demo_sqlite_url


@pytest.fixture
def team_database(team_url, monkeypatch):
    yield from app_pointed_at(team_url, monkeypatch)


def opened(script: str, lang: str, token: str | None = None):
    app = new_app()
    if token:
        app.session_state[auth.SIGNED_IN_KEY] = token
    app.query_params["lang"] = lang
    if script != "app.py":
        app.switch_page(script)
    return app.run()


@pytest.mark.parametrize("lang", ("es", "en"))
@pytest.mark.parametrize("page", ui.PAGES, ids=lambda p: p.key)
def test_every_page_signed_out_is_in_its_language_with_no_iso_date_or_code(team_database, page, lang):
    app = opened(page.script, lang)
    assert not app.exception
    texts = shown_text(app, lang)
    assert texts
    assert foreign_words(texts, lang) == {}
    assert raw_codes(shown_text(app, lang, originals=True)) == []  # an original's dates in words too
    # Streamlit's own English words, which AppTest cannot see, are covered by the frame on every page.
    style = next(h.proto.body for h in app.get("html") if "frame-lang" in h.proto.body)
    assert ui.builtin_style(lang) in style and json.dumps(i18n.t("upload_choose", lang)) in style


@pytest.mark.parametrize("lang", ("es", "en"))
def test_the_data_page_of_a_national_team_is_in_its_language(team_database, team_url, lang):
    token = secrets.token_urlsafe(32)
    accounts.open_session(database.make_engine(team_url), "ntt-hnd", token)
    app = opened("pages/data.py", lang, token)
    assert not app.exception
    assert app.get("file_uploader") or app.text_input or app.main  # the signed-in page, not the sign-in form
    texts = shown_text(app, lang)
    assert i18n.t("auth_password", lang) not in texts
    assert foreign_words(texts, lang) == {}
    assert raw_codes(texts) == []


def test_the_check_finds_english_in_spanish_and_spanish_in_english():
    """The word lists catch what they are for, and leave names and addresses alone."""
    assert foreign_words(["Validated by the team"], "es") == {"Validated by the team": {"Validated", "by", "the"}}
    assert foreign_words(["Datos de la fuente"], "en") == {"Datos de la fuente": {"Datos", "de", "la", "fuente"}}
    assert foreign_words(["ACNUR, Refugee Data Finder · [fuente](https://example.org/the/data)"], "es") == {}
    assert foreign_words(["Personas en El Salvador"], "en") == {"Personas en El Salvador": {"Personas", "en"}}
    assert raw_codes(["Parte de F15", "el 2021-12-17", "Validado por ppt"]) == [
        "Parte de F15",
        "el 2021-12-17",
        "Validado por ppt",
    ]


def test_a_file_without_its_translation_still_loads_and_shows_the_english(tmp_path):
    """A plan year added with its English files alone: translations are optional, and the page falls back."""
    source = settings.DATA_DIR / "workplan_2021_events.csv"
    rows = list(csv.DictReader(source.open(encoding="utf-8")))
    kept = [name for name in rows[0] if not name.endswith(translations.SPANISH)]
    with (tmp_path / source.name).open("w", encoding="utf-8", newline="") as out:
        writer = csv.DictWriter(out, kept, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
    spec = next(s for s in load.workplan_files(tmp_path) if s.name == source.name)
    parsed, _digest = load.read_shipped_file(spec, tmp_path)
    assert [row["title_es"] for row in parsed] == [None] * len(rows)
    shown = translations.in_language(
        pl.DataFrame([{"title": r["title"], "title_es": r["title_es"]} for r in parsed]), "es"
    )
    assert shown["title"].to_list() == [row["title"] for row in rows]


@pytest.mark.parametrize("lang", ("es", "en"))
def test_the_work_plan_embed_names_the_events_in_its_language(team_url, lang):
    drawn = embeds.workplan({}, lang, queries.Reader(team_url))
    shown = json.dumps(drawn.chart.to_dict(), ensure_ascii=False)
    source = settings.DATA_DIR / "workplan_2021_events.csv"
    for row in csv.DictReader(source.open(encoding="utf-8")):
        if row["start_date"]:  # the dated events are drawn
            assert (row["title_es"] if lang == "es" else row["title"]) in shown
