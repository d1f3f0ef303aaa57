"""Shared widgets pages lay out: figure cards, source footers, and charts with their data and downloads."""

from __future__ import annotations

import html
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import Literal

import altair as alt
import polars as pl
import streamlit as st
from streamlit import dataframe_util

from mirps_dash import (
    briefing,
    cache,
    catalog,
    charts,
    i18n,
    indicator_views,
    maps,
    markup,
    memo,
    public_indicators,
    settings,
    slides,
    summaries,
    tables,
)
from mirps_dash.i18n import t


def illustrative_mark(lang: str) -> str:
    """The mark set on every table and chart that shows illustrative rows."""
    return f":orange[**{t('illustrative_mark', lang)}**]"


def marked(text: str, illustrative: bool, lang: str) -> str:
    """Markdown `text` with the illustrative mark as a paragraph above it when `illustrative`: one element."""
    return f"{illustrative_mark(lang)}\n\n{text}" if illustrative else text


def small_print(text: str) -> str:
    """Markdown `text` set as a caption is (small, grey), to follow a line within the same element, so a card
    is one element rather than three. Links and line breaks keep working inside."""
    return f":gray[:small[{text}]]"


def card_text(title: str, note: str, body: str) -> str:
    """A card's bold title, its small-print note and its text, as one Markdown element."""
    return f"**{title}**  \n{small_print(note)}\n\n{body}"


@memo.by_identity
def screen_spec(chart: alt.TopLevelMixin) -> dict:
    """The chart's spec with its datasets already in Arrow: Streamlit sends a dataset as Arrow bytes and
    converts records to them through pandas on every draw (a quarter of the overview's rerun at 1000x, by
    py-spy), but passes bytes through. Converted once here, with Streamlit's own function."""
    spec = chart.to_dict(validate=False)
    # A chart's height is its plot's: Streamlit's default ("fit") squeezed the legend, title and axes into it,
    # which left a card's trajectory a plot of a few pixels under its legend. A slide sets its own.
    spec.setdefault("autosize", {"type": "fit-x", "contains": "padding"})
    if "datasets" in spec:
        spec["datasets"] = {
            name: dataframe_util.convert_anything_to_arrow_bytes(records) for name, records in spec["datasets"].items()
        }
    return spec


OnSelect = Callable[[], None] | Literal["rerun"] | None


def draw(chart: alt.TopLevelMixin, *, summary: str | None, key: str | None = None, on_select: OnSelect = None):
    """Draw an Altair chart from its spec without re-validating it; `on_select` runs (or, as "rerun", the
    page reruns) when a reader clicks a mark: the chart needs a `key` then, and the selection is returned.
    `summary`, the chart's one sentence, is its accessible name (Vega's own is "Vega visualization"); None
    only where there is nothing to say.

    Altair checks a spec against the Vega-Lite JSON schema on every `to_dict()`: about 15% of a
    chart-heavy page's run (measured with py-spy on /displacement). The chart tests validate every
    builder's spec, so the pages skip it. A builder hands back the same chart for the same data
    (`memo`), so its spec is made once too."""
    return st.vega_lite_chart(screen_spec(chart), key=key, on_select=on_select or "ignore", alt=summary)


PPTX_MIME = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def figure_card(
    container,
    label: str,
    value: str,
    *,
    delta: str | None = None,
    help: str | None = None,
    notes: tuple[str, ...] = (),
) -> None:
    """A headline figure whose label wraps (st.metric cuts long labels off at 1280 px) with its notes."""
    with container.container(border=True):
        st.markdown(f"**{label}**", help=help)
        flat = delta is not None and delta.startswith("±")  # no change: no arrow
        arrow = "off" if flat else "auto"
        st.metric(label, value, delta=delta, delta_color="off", delta_arrow=arrow, label_visibility="collapsed")
        if notes:  # plain text: a note may carry a date or a name as the database holds it
            st.caption("  \n".join(markup.plain(note) for note in notes))  # one element of a line a note


def headline_cards(cards: Sequence[briefing.Card], *, per_row: int = 4) -> None:
    """Headline cards (`briefing.headline`) in rows of `per_row` (a slide lays out its own: `presentation`)."""
    columns = [column for _ in range(0, len(cards), per_row) for column in st.columns(per_row)]
    for column, card in zip(columns, cards, strict=False):
        figure_card(column, card.label, card.value, delta=card.delta, help=card.help, notes=card.notes)


def headline(database_url: str, lang: str, year: int, country: str | None = None, *, per_row: int = 4) -> None:
    """The four headline cards for the region, or for one country (the overview, the country page and
    the slides all show these)."""
    headline_cards(briefing.headline(cache.Cached(database_url), lang, year, country), per_row=per_row)


def source_footer(source_keys: tuple[str, ...], lang: str) -> None:
    """The source line under a figure: publisher, dataset, date of data, licence, link."""
    st.caption(source_line(source_keys, lang))


def source_line(source_keys: tuple[str, ...], lang: str) -> str:
    """Invented rows name what they are, with no date of data or licence to cite."""
    lines = []
    for key in source_keys:
        s = catalog.source(key)
        cited = [f"{s.publisher[lang]}, {s.linked_title(lang)}"]
        if not s.invented:
            cited += [s.dated(lang), s.licence[lang]]
        lines.append(" · ".join(cited))
    return f"**{t('source' if len(lines) == 1 else 'sources', lang)}:** " + " · ".join(lines)


def url_widget(container, kind: str, label: str, options: Sequence, *, key: str, default, cast=str, **kwargs):
    """A widget whose value lives in the URL under `key` (the URL contract: codes, never labels).

    Streamlit's own `bind="query-params"` stores the formatted label, so a link made in Spanish would
    not open in English; this keeps ISO3 codes and years in the URL whatever the language. The URL is
    read when it changed since this session last wrote it (first load, pasted link), or when the widget was
    not drawn in the run before (Streamlit then forgets its value: a closed tab's), and written back after
    every run, so the address bar always reproduces the view."""
    several = kind in ("multiselect", "select_slider")
    raw = st.query_params.get_all(key)
    if key not in st.session_state or raw != st.session_state.get(f"_url_{key}"):
        parsed = []
        for text in raw:
            try:
                value = cast(text)
            except ValueError:
                continue
            if value in options:
                parsed.append(value)
        if kind == "select_slider":
            chosen = tuple(sorted(parsed)) if len(parsed) == 2 else default
        elif several:
            chosen = parsed if raw else list(default)
        else:
            chosen = parsed[0] if parsed else default
        st.session_state[key] = chosen
    if kind == "select_slider":
        # Declared a range by its default: Streamlit reads the browser's two values back as a range only
        # then. Without it, every rerun (a click on any other control) collapsed the years to the first.
        # Streamlit would log that the value also came through Session State: the project's config.toml
        # turns that warning off for every widget (this module sets values so on purpose).
        kwargs["value"] = default
    value = getattr(container, kind)(label, options, key=key, **kwargs)
    st.query_params[key] = [str(v) for v in value] if several else str(value)
    st.session_state[f"_url_{key}"] = st.query_params.get_all(key)
    return value


def url_tabs(labels: dict[str, str], *, key: str, default: str) -> tuple[str, dict]:
    """Tabs, labelled `labels` (code to label), of which only the open one runs: the open tab's code and
    the tabs by code. Like `url_widget`, the URL holds the open tab's code under `key` in any language.

    The URL is read on first load, after a pasted link or a callback that wrote it, and when the tab's
    value (its label) names no tab: after a change of language. Otherwise the value is a click on a tab."""
    by_label = {label: code for code, label in labels.items()}
    raw = st.query_params.get(key)
    code = by_label.get(st.session_state.get(key))
    if code is None or raw != st.session_state.get(f"_url_{key}"):
        code = raw if raw in labels else default
    st.session_state[key] = labels[code]
    tabs = st.tabs(list(labels.values()), key=key, on_change="rerun")
    st.query_params[key] = code
    st.session_state[f"_url_{key}"] = code
    return code, dict(zip(labels, tabs, strict=True))


def map_block(
    deck, legend: list[tuple[str, str]], *, summary: str | None, key: str, lang: str, sources: tuple[str, ...]
):
    """A pydeck map drawn offline, its legend, the UN disclaimer on boundaries and its sources; `summary`, its
    one sentence, is its accessible name.

    Returns the selection state (clicks on points or countries)."""
    event = st.pydeck_chart(
        deck, height=maps.CITIES_HEIGHT, on_select="rerun", selection_mode="single-object", key=key, alt=summary
    )
    map_footer(legend, lang=lang, sources=sources)
    return event


def chart_map(
    chart,
    legend: list[tuple[str, str]],
    *,
    summary: str | None,
    key: str,
    lang: str,
    sources: tuple[str, ...],
    on_select: OnSelect = None,
    note: str | None = None,
):
    """An Altair map (`maps.choropleth_map`, `maps.flows_map`, `maps.cities_map`) with the same footer as a
    pydeck map, and its selection state if `on_select`. It needs no map code of its own in the browser: Vega
    is there for the charts already (deck.gl is 3 MB). `summary`, its one sentence, is its accessible name."""
    event = draw(chart, summary=summary, key=key, on_select=on_select)
    map_footer(legend, lang=lang, sources=sources, note=note)
    return event


def map_footer(legend: list[tuple[str, str]], *, lang: str, sources: tuple[str, ...], note: str | None = None) -> None:
    """Under every map: its legend, then in one caption its `note` if any, the UN disclaimer on boundaries
    and its sources with the outlines'."""
    swatches = " &nbsp; ".join(
        f'<span style="display:inline-block;width:14px;height:14px;background:{colour};'
        f'border:1px solid #555;vertical-align:middle"></span> {html.escape(label)}'
        for label, colour in legend
    )
    st.markdown(swatches, unsafe_allow_html=True)  # our own labels and colours, escaped; no user text
    lines = [note] if note else []
    st.caption("  \n".join([*lines, t("map_disclaimer", lang), source_line((*sources, "natural_earth"), lang)]))


def flows_map(arcs, *, key: str, lang: str) -> None:
    """Flows from origin to asylum with their legend; the countries that have no place on the map are named."""
    legend = [
        (t("arc_origin_end", lang), charts.ROLE_COLOURS["origin"]),
        (t("arc_asylum_end", lang), charts.ROLE_COLOURS["asylum"]),
    ]
    note = maps.flows_off_map_note(arcs, lang)
    summary = summaries.flows_map(arcs, lang)
    chart_map(
        maps.flows_map(arcs, lang),
        legend,
        summary=summary,
        key=key,
        lang=lang,
        sources=("unhcr_population_pairs",),
        note=note,
    )


def country_picker(container, lang: str, *, key: str = "country", default: str | None = None) -> str:
    """One MIRPS state, by name on screen and by ISO3 code in the URL."""
    return url_widget(
        container,
        "selectbox",
        t("filter_country", lang),
        settings.MIRPS_COUNTRIES,
        key=key,
        default=default or settings.MIRPS_COUNTRIES[0],
        format_func=lambda code: i18n.country_name(code, lang),
    )


def countries_picker(container, lang: str, *, key: str = "countries") -> tuple[str, ...]:
    """Any MIRPS states (all by default), by name on screen and by ISO3 code in the URL."""
    return tuple(
        url_widget(
            container,
            "multiselect",
            t("filter_countries", lang),
            settings.MIRPS_COUNTRIES,
            key=key,
            default=settings.MIRPS_COUNTRIES,
            format_func=lambda code: i18n.country_name(code, lang),
        )
    )


def dataframe(data: pl.DataFrame | list[dict], **options) -> None:
    """`st.dataframe`, handed Arrow. Streamlit turns anything else into pandas and then into Arrow on every
    run (two fifths of `/about`'s rerun, by py-spy); Arrow it sends as it is."""
    st.dataframe(_arrow(data if isinstance(data, pl.DataFrame) else pl.DataFrame(data)), **options)


@memo.by_content
def _arrow(frame: pl.DataFrame):
    """polars copies every text column into Arrow's older string layout here (1–2 ms a table in a run)."""
    return frame.to_arrow()


def data_table(frame: pl.DataFrame, lang: str, column_config: dict | None = None) -> None:
    """A table as people read it: names for codes, numbers in the locale's style, right-aligned.
    `column_config` adds to that, by the localised column name (a link column, say)."""
    localised = tables.localise(frame, lang)
    numeric = [c for c, dtype in localised.schema.items() if dtype.is_numeric()]
    shown = tables.formatted(localised, lang)
    aligned = {c: st.column_config.TextColumn(alignment="right") for c in numeric}
    dataframe(shown, hide_index=True, column_config=aligned | (column_config or {}))


def picked_country(event) -> str | None:
    """The country clicked in a chart or map built with `charts.SELECTION`, if any."""
    if not event:
        return None
    points = event.selection.get(charts.SELECTION) or []
    return points[0].get("country_iso3") if points else None


def export_metadata(
    title: str, sources: tuple[str, ...], filters: list[tuple[str, str]], lang: str
) -> list[tuple[str, str]]:
    """What travels with every export: title, each source's citation (publisher, date of data, licence),
    the filters in use and when it was exported."""
    rows = [(t("meta_title", lang), title)]
    rows += [(t("meta_source", lang), catalog.source(key).citation(lang)) for key in sources]
    rows += [(f"{t('meta_filters', lang)}: {name}", value) for name, value in filters]
    rows.append((t("meta_exported", lang), datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")))
    return rows


def embed_item(figure: str, lang: str, **params: object) -> None:
    """The "Embed" item beside a public chart: the `<iframe>` code of its embed (`/embed/…`, served beside
    the pages) and the address of its data, for a web page or a spreadsheet elsewhere."""
    from urllib.parse import urlsplit

    from mirps_dash import embeds  # imported on first use, like exports

    address = urlsplit(st.context.url or "")
    base = f"{address.scheme}://{address.netloc}" if address.scheme and address.netloc else ""
    iframe, data = embeds.embed_code(base, figure, lang, **params)
    with st.popover(t("embed_button", lang)):
        st.caption(t("embed_code_help", lang))
        st.code(iframe, language="html", wrap_lines=True)
        st.caption(t("embed_data_help", lang))
        st.code(data, language=None, wrap_lines=True)


def chart_block(
    chart: alt.TopLevelMixin | None,
    table: pl.DataFrame,
    *,
    key: str,
    title: str,
    sources: tuple[str, ...],
    filters: list[tuple[str, str]],
    lang: str,
    summary: str | None = None,
    name: tuple[str | int | None, ...] = (),
    on_select: Callable[[], None] | None = None,
    illustrative: bool = False,
) -> None:
    """A chart, its one-sentence summary (also its accessible name; else its title), its data table and
    downloads one click away, and its sources.

    Files are built only when a download is clicked. Illustrative data is marked inside every file (a
    column of the CSV, the first metadata row, the image title), so no export can lose the mark. `on_select`
    runs when a reader clicks one of the chart's marks."""
    from mirps_dash import exports  # imported on first use: vl-convert is heavy and most runs export nothing

    if table.is_empty():
        st.info(t("no_rows", lang))
    elif chart is not None:
        draw(chart, summary=summary or title, key=key, on_select=on_select)
    if summary:
        st.markdown(summary)
    if not table.is_empty():
        shown = tables.localise(table, lang)
        metadata = export_metadata(title, sources, filters, lang)
        caption = " · ".join(catalog.source(key).citation(lang) for key in sources)
        if illustrative:
            st.markdown(illustrative_mark(lang))
            shown, metadata, title = exports.marked_illustrative(shown, metadata, title, lang)
        files = [
            ("download_csv", lambda: exports.csv_bytes(shown), "csv", "text/csv"),
            ("download_xlsx", lambda: exports.xlsx_bytes(shown, metadata), "xlsx", XLSX_MIME),
        ]
        if chart is not None:
            files += [
                ("download_png", lambda: exports.chart_png(chart, title=title, caption=caption), "png", "image/png"),
                (
                    "download_svg",
                    lambda: exports.chart_svg(chart, title=title, caption=caption),
                    "svg",
                    "image/svg+xml",
                ),
            ]
        with st.popover(t("data_and_downloads", lang)):
            dataframe(tables.formatted(shown, lang), hide_index=True)  # as read: dates in words
            row = st.container(horizontal=True)  # one block, where a column per button was one more message each
            for label, build, extension, mime in files:
                row.download_button(
                    t(label, lang),
                    build,
                    file_name=exports.file_name(*name, lang, extension=extension),
                    mime=mime,
                    key=f"{key}_{extension}",
                    on_click="ignore",
                )
    source_footer(sources, lang)


def file_downloads(database_url: str, lang: str, deck: str = slides.REGION, cut: str | None = None) -> None:
    """The factsheet PDF and the slide deck (`deck`) in `lang`, built on the first click and cached; from
    the data cut `cut` when given (with its figures as a spreadsheet too), else from the live figures."""
    from mirps_dash import exports  # imported on first use: vl-convert is heavy and most runs export nothing

    st.download_button(
        t("download_factsheet", lang),
        lambda: cache.factsheet_pdf(database_url, lang, cut),
        file_name=exports.file_name("factsheet", cut, lang, extension="pdf"),
        mime="application/pdf",
        key=f"file_factsheet_{lang}",
        on_click="ignore",
    )
    st.download_button(
        t("download_deck", lang),
        lambda: cache.deck_pptx(database_url, lang, deck, cut),
        file_name=exports.file_name("slides", deck, cut, lang, extension="pptx"),
        mime=PPTX_MIME,
        key=f"file_deck_{deck}_{lang}",
        on_click="ignore",
    )
    if cut:
        st.download_button(
            t("download_cut_figures", lang),
            lambda: cache.cut_xlsx(database_url, lang, cut),
            file_name=exports.file_name("figures", cut, lang, extension="xlsx"),
            mime=XLSX_MIME,
            key=f"file_cut_{lang}",
            on_click="ignore",
        )


def public_indicator_summary(table: pl.DataFrame, country: str, year: int, lang: str) -> None:
    """A State's public-statistics indicators for one year under their heading: value, baseline, change and
    assessment, each linked to its page, and the notes the figures carry (/plans and /country)."""
    st.subheader(t("pi_section_title", lang, country=i18n.country_name(country, lang), year=year))
    st.caption(t("pi_section_lead", lang, baseline=public_indicators.BASELINE_YEAR))
    rows = public_indicators.summary(table, country, year)
    st.markdown(indicator_views.summary_markdown(rows, country, lang))
    for note in indicator_views.notes_of(rows, lang):
        st.caption(f"† {note}")
    for note in indicator_views.change_notes(rows, lang):
        st.caption(note)
