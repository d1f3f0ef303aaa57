"""Data cuts: every deck's figures frozen under a name, so the numbers do not move during a meeting.

A cut keeps what the slides are drawn from: each frame the briefing reads (as records, with its column
types), the headline figures of the region and of each state, and every slide's title and sources, as JSON
in `data_cut`. `Cut` answers the same reads as `briefing.FromReader`, so the screen, the factsheet and the
deck draw a cut exactly as they draw live figures, and the cut's name goes on all of them. A cut is never
edited: a corrected one is made under a new name, and `changes` says which headline figures moved.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

import polars as pl
from sqlalchemy import Engine, insert, select
from sqlalchemy.exc import IntegrityError

from mirps_dash import access, briefing, datastamp, i18n, queries, settings, slides
from mirps_dash.i18n import t
from mirps_dash.schema import AuditEntry, DataCut

FORMAT = 1  # bumped when the content's layout changes, so an old cut is read as what it is
MAX_NAME = 80
REGION = "region"  # the scope of the regional figures; a state's scope is its ISO3 code
DTYPES = {str(dtype): dtype for dtype in (pl.Int8, pl.Int16, pl.Int32, pl.Int64, pl.Float64, pl.String, pl.Boolean)}


class CutError(ValueError):
    """A cut that cannot be made or read; `code` names the message (`cut_err_<code>` in i18n)."""

    def __init__(self, code: str, **detail: object):
        super().__init__(code, detail)
        self.code, self.detail = code, detail

    def message(self, lang: str) -> str:
        return t(f"cut_err_{self.code}", lang, **self.detail)


@dataclass(frozen=True)
class Info:
    """A cut as listed: no content."""

    name: str
    as_of: date
    created_at: datetime
    created_by: str


@dataclass(frozen=True)
class Change:
    """A headline figure that differs between two cuts (or a cut and the live figures); None = no data."""

    scope: str  # REGION or an ISO3 code
    key: str  # one of briefing.HEADLINE_KEYS
    old: int | None
    new: int | None
    old_year: int | None
    new_year: int | None

    def label(self, lang: str) -> str:
        scope = t("cut_region", lang) if self.scope == REGION else i18n.country_name(self.scope, lang)
        return f"{scope} · {t(f'kpi_{self.key}', lang)}"

    def line(self, lang: str) -> str:
        """ "Honduras · People hosted: 1,200 (2024) → 1,300 (2025)"; the year only where it differs."""

        def shown(value: int | None, year: int | None) -> str:
            text = i18n.number(value, lang)
            return t("cut_value_year", lang, value=text, year=year) if self.old_year != self.new_year else text

        return t(
            "cut_change_line",
            lang,
            figure=self.label(lang),
            old=shown(self.old, self.old_year),
            new=shown(self.new, self.new_year),
        )


def _call(method: str, *args: Any) -> str:
    """The key a read is stored under: its name and arguments, tuples as lists."""
    return json.dumps([method, *[list(a) if isinstance(a, tuple) else a for a in args]])


def _records(frame: pl.DataFrame) -> dict[str, Any]:
    unknown = {str(dtype) for dtype in frame.dtypes} - set(DTYPES)
    if unknown:
        raise TypeError(f"cannot freeze columns of type {', '.join(sorted(unknown))}")
    return {"schema": {name: str(dtype) for name, dtype in frame.schema.items()}, "rows": frame.to_dicts()}


def _frame(stored: dict[str, Any]) -> pl.DataFrame:
    schema = {name: DTYPES[dtype] for name, dtype in stored["schema"].items()}
    return pl.DataFrame(stored["rows"], schema=schema, orient="row")


# The frame reads of `briefing.Data` a cut keeps (population_years is kept as the cut's span).
READS = (
    "population_totals",
    "population_by_country",
    "idmc_idp_stocks",
    "partners",
    "commitment_counts",
    "cities",
    "workplan_years",
    "workplan_events",
    "facts",
    "public_indicator_table",
)


class _Recorder:
    """`briefing.Data` that passes every read through and keeps what it returned."""

    def __init__(self, data: briefing.Data):
        self.data, self.reads = data, {}

    def __getattr__(self, method: str):
        if method not in READS:
            raise AttributeError(method)

        def read(*args: Any) -> pl.DataFrame:
            frame = getattr(self.data, method)(*args)
            self.reads[_call(method, *args)] = _records(frame)
            return frame

        return read

    def population_years(self):
        return self.data.population_years()


def decks() -> tuple[str, ...]:
    """Every deck a cut holds: the region, then each MIRPS state."""
    return (slides.REGION, *settings.MIRPS_COUNTRIES)


def figures(data: briefing.Data) -> dict[str, dict[str, dict[str, int | None]]]:
    """The headline figures, scope -> key -> {"year", "value"}: what `changes` compares."""
    span = data.population_years()
    if span is None:
        return {}
    result = {}
    for scope in (REGION, *settings.MIRPS_COUNTRIES):
        found = briefing.headline_figures(data, span[1], None if scope == REGION else scope)
        result[scope] = {key: {"year": f.year, "value": f.value} for key, f in found.items()}
    return result


def snapshot(data: briefing.Data) -> dict[str, Any]:
    """What a cut keeps of `data`: the reads of every deck, the headline figures, and each slide's title
    and sources in each language (so the database alone says what was shown)."""
    span = data.population_years()
    if span is None:
        raise CutError("no_data")
    recorder = _Recorder(data)
    shown = {
        deck: {
            lang: [{"title": c.title, "sources": list(c.sources)} for c in briefing.deck(recorder, deck, lang)]
            for lang in i18n.LANGS
        }
        for deck in decks()
    }
    return {
        "format": FORMAT,
        "span": list(span),
        "reads": recorder.reads,
        "figures": figures(recorder),
        "slides": shown,
    }


@dataclass(frozen=True)
class Cut:
    """A cut read back: its name and dates, and the same reads as `briefing.FromReader`, from what it froze."""

    name: str
    as_of: date
    created_at: datetime
    created_by: str
    content: dict[str, Any] = field(repr=False, compare=False)

    def _read(self, method: str, *args: Any) -> pl.DataFrame:
        stored = self.content["reads"].get(_call(method, *args))
        if stored is None:  # a read this version asks for and the cut never made: say so, never go live
            raise CutError("unreadable", name=self.name)
        return _frame(stored)

    def __getattr__(self, method: str):
        if method not in READS:
            raise AttributeError(method)
        return lambda *args: self._read(method, *args)

    def population_years(self) -> tuple[int, int] | None:
        return tuple(self.content["span"])

    def holds(self, method: str) -> bool:
        """Whether the cut froze `method`'s read (a cut made before a slide existed did not)."""
        return any(json.loads(key)[0] == method for key in self.content["reads"])

    @property
    def figures(self) -> dict[str, dict[str, dict[str, int | None]]]:
        return self.content["figures"]

    def stamp(self, lang: str) -> str:
        """The line every slide and file drawn from the cut carries."""
        return t("cut_stamp", lang, name=self.name, date=i18n.long_date(self.as_of, lang))

    def metadata(self, lang: str) -> list[tuple[str, str]]:
        """Rows for an export's metadata sheet (`exports.xlsx_bytes`)."""
        return [
            (t("meta_cut", lang), self.name),
            (t("meta_cut_as_of", lang), self.as_of.isoformat()),
            (t("meta_cut_created", lang), f"{self.created_at.astimezone(UTC):%Y-%m-%d %H:%M} UTC · {self.created_by}"),
        ]


def check_name(name: str) -> str:
    """The name stripped; refused when empty, too long, or holding line breaks or other control characters."""
    name = (name or "").strip()
    if not name or len(name) > MAX_NAME or any(not ch.isprintable() for ch in name):
        raise CutError("bad_name", max=MAX_NAME)
    return name


def create(
    reader: queries.Reader, name: str, as_of: date, *, actor: access.Actor | None = None, by: str = "cli"
) -> Cut:
    """Freeze the database's figures now under `name`, for the date `as_of` (the day the cut stands for,
    printed with it). From the app an `actor` is given and must be an approver (admin or PPT); the command
    line runs as the operator of the server (`by`)."""
    engine = reader.engine
    created_by = actor.username if actor else by
    if actor is not None:
        try:
            access.check_approve(actor)
        except access.Refused as refusal:
            _audit(engine, created_by, "refused", str(refusal))
            raise
    name = check_name(name)
    if load(engine, name) is not None:
        raise CutError("exists", name=name)
    content = snapshot(briefing.FromReader(reader))
    created_at = datetime.now(UTC)
    try:
        with engine.begin() as connection:
            connection.execute(
                insert(DataCut).values(
                    name=name, as_of=as_of, created_at=created_at, created_by=created_by, content=json.dumps(content)
                )
            )
            connection.execute(
                insert(AuditEntry).values(
                    username=created_by, action="cut_create", outcome="ok", detail=f"{name} (as of {as_of})"
                )
            )
            datastamp.bump(connection)  # the list of cuts every presenter picks from has grown
    except IntegrityError as error:  # the same name made a moment earlier by someone else
        raise CutError("exists", name=name) from error
    return Cut(name, as_of, created_at, created_by, content)


def _audit(engine: Engine, username: str, outcome: str, detail: str) -> None:
    with engine.begin() as connection:
        connection.execute(
            insert(AuditEntry).values(username=username, action="cut_create", outcome=outcome, detail=detail[:4000])
        )


def list_cuts(engine: Engine) -> list[Info]:
    """Every cut, oldest first."""
    statement = select(DataCut.name, DataCut.as_of, DataCut.created_at, DataCut.created_by).order_by(
        DataCut.created_at, DataCut.id
    )
    with engine.connect() as connection:
        return [
            Info(row.name, row.as_of, _utc(row.created_at), row.created_by) for row in connection.execute(statement)
        ]


def load(engine: Engine, name: str) -> Cut | None:
    """The cut named `name`, or None."""
    columns = (DataCut.name, DataCut.as_of, DataCut.created_at, DataCut.created_by, DataCut.content)
    with engine.connect() as connection:
        row = connection.execute(select(*columns).where(DataCut.name == name)).first()
    if row is None:
        return None
    return Cut(row.name, row.as_of, _utc(row.created_at), row.created_by, json.loads(row.content))


def _utc(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)  # SQLite gives the time back without its zone


def previous(engine: Engine, name: str | None) -> Info | None:
    """The cut made just before `name`; for None (the live figures), the newest cut."""
    return previous_of(list_cuts(engine), name)


def previous_of(listed: list[Info], name: str | None) -> Info | None:
    """`previous` over a list of cuts, oldest first (the app lists them once, cached)."""
    if name is None:
        return listed[-1] if listed else None
    names = [info.name for info in listed]
    index = names.index(name) if name in names else 0
    return listed[index - 1] if index > 0 else None


def changes(previous: Cut | dict, current: Cut | dict) -> list[Change]:
    """The headline figures whose value or year differ, region first, then the states in MIRPS order.

    Either side may be a `Cut` or the `figures(...)` of live data."""
    old = previous.figures if isinstance(previous, Cut) else previous
    new = current.figures if isinstance(current, Cut) else current
    result = []
    for scope in (REGION, *settings.MIRPS_COUNTRIES):
        for key in briefing.HEADLINE_KEYS:
            before = old.get(scope, {}).get(key) or {}
            after = new.get(scope, {}).get(key) or {}
            if (before.get("value"), before.get("year")) != (after.get("value"), after.get("year")):
                result.append(
                    Change(scope, key, before.get("value"), after.get("value"), before.get("year"), after.get("year"))
                )
    return result


def figures_table(cut: Cut, lang: str) -> pl.DataFrame:
    """The cut's headline figures as a table for a spreadsheet: scope, figure, year, value (null = no data)."""
    rows = []
    for scope, found in cut.figures.items():
        for key, figure in found.items():
            rows.append(
                {
                    t("col_scope", lang): t("cut_region", lang) if scope == REGION else i18n.country_name(scope, lang),
                    t("col_figure", lang): t(f"kpi_{key}", lang),
                    t("col_figure_key", lang): key,
                    t("col_year", lang): figure["year"],
                    t("col_value", lang): figure["value"],
                }
            )
    return pl.DataFrame(rows)


def xlsx(cut: Cut, lang: str) -> bytes:
    """The cut's headline figures as an Excel workbook, the cut and the sources on the metadata sheet."""
    from mirps_dash import catalog, exports

    metadata = [(t("meta_title", lang), f"{t('app_title', lang)} · {cut.stamp(lang)}"), *cut.metadata(lang)]
    metadata += [(t("meta_source", lang), catalog.source(key).citation(lang)) for key in briefing.HEADLINE_SOURCES]
    metadata.append((f"{t('meta_filters', lang)}: {t('meta_year', lang)}", str(cut.population_years()[1])))
    metadata.append((t("meta_exported", lang), datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")))
    return exports.xlsx_bytes(figures_table(cut, lang), metadata)
