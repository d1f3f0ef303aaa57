"""One indicator on one page: what it is, how it is computed, where it comes from, its baseline and latest
value for every State, a chart of all seven and downloads that carry the same metadata."""

import streamlit as st

from mirps_dash import (
    access,
    cache,
    catalog,
    charts,
    i18n,
    indicator_texts,
    indicator_views,
    markup,
    metrics,
    progress,
    public_indicators,
    settings,
    tables,
    ui,
    widgets,
)
from mirps_dash.i18n import t


def definition(code: str, lang: str) -> None:
    text, indicator = indicator_texts.TEXTS[code], public_indicators.BY_CODE[code]
    lines = [
        (t("ind_definition", lang), text["definition"][lang]),
        (t("ind_formula", lang), text["formula"][lang]),
        (t("ind_unit", lang), t(f"pi_unit_{indicator.unit}", lang)),
        (t("ind_area", lang), t(f"pi_focus_{indicator.focus_area}", lang)),
        (t("ind_direction", lang), t(f"pi_direction_{indicator.direction}", lang)),
        (t("ind_disaggregation", lang), t("ind_disaggregation_text", lang)),
        (t("ind_periodicity", lang), t("ind_periodicity_text", lang)),
        (t("ind_baseline", lang), str(indicator.baseline_year)),
    ]
    st.markdown("\n".join(f"- **{label}:** {value}" for label, value in lines))
    st.markdown(f"**{t('ind_caveats', lang)}**\n\n" + "\n".join(f"- {c[lang]}" for c in text["caveats"]))
    st.markdown(
        f"**{t('ind_sources', lang)}**\n\n"
        + "\n".join(f"- {catalog.source(key).citation(lang)}" for key in indicator.sources)
    )


def team_indicator(frame: ui.Frame, row: dict) -> None:
    """A national team's indicator: the same page, from what the team documented and reported (values as
    the reader's role may see them: published, or the team's own work in progress)."""
    lang = frame.lang
    st.title(markup.plain(row[f"name_{lang}"]))
    if row["is_illustrative"]:
        st.warning(t("illustrative_banner", lang))
    values = cache.indicator_values(frame.database_url, access.read_scope(frame.actor))
    own = progress.series_of(values, row["indicator_id"])
    target = progress.target_of(row)
    needed = progress.needed_path(target, range(target.baseline_year, target.target_year + 1))
    widgets.draw(
        charts.indicator_trajectory(
            own, needed, (target.target_year, target.target), lang, illustrative=row["is_illustrative"]
        ),
        summary=t(
            "ind_team_chart_summary",
            lang,
            name=row[f"name_{lang}"],  # an accessible name is text, not Markdown
            reported=own.height,
            target=i18n.number(target.target, lang, 1),
            year=target.target_year,
        ),
        key="indicator_team_chart",
    )
    metadata = indicator_views.team_metadata_rows(row, lang)
    st.markdown("\n".join(f"- **{label}:** {markup.plain(value)}" for label, value in metadata))
    sources = ("illustrative",) if row["is_illustrative"] else ("mirps_commitments",)
    widgets.source_footer(sources, lang)
    frame_out = indicator_views.team_values_frame(own, row, lang)
    if row["is_illustrative"]:  # the mark travels inside the files too
        metadata = [(t("illustrative_mark", lang), t("illustrative_banner", lang)), *metadata]
    download(frame_out, metadata, f"mirps-{row['indicator_code']}-{lang}", lang)


def body(frame: ui.Frame) -> None:
    lang = frame.lang
    codes = [indicator.code for indicator in public_indicators.INDICATORS]
    asked = st.query_params.get("code")
    team = metrics.where(cache.plan_indicators(frame.database_url), indicator_code=asked) if asked else None
    if team is not None and not team.is_empty():
        team_indicator(frame, team.row(0, named=True))
        return
    heading = st.empty()  # the title above the picker that names it
    if asked is not None and asked not in codes:
        st.warning(t("ind_unknown", lang))
    code = widgets.url_widget(
        st.columns([2, 1])[0],
        "selectbox",
        t("ind_pick", lang),
        codes,
        key="code",
        default=codes[0],
        format_func=lambda c: indicator_texts.name(c, lang),
    )
    country = st.query_params.get("country") if st.query_params.get("country") in settings.MIRPS_COUNTRIES else None
    indicator = public_indicators.BY_CODE[code]
    name = indicator_texts.name(code, lang)
    heading.title(name)
    table = cache.public_indicator_table(frame.database_url)
    series = public_indicators.lines(table, code)
    title = t("ind_chart_title", lang, indicator=name)
    st.markdown(f"**{title}**")
    widgets.chart_block(
        charts.public_indicator_lines(series, indicator.unit, lang, country),
        series,
        key="indicator_chart",
        title=title,
        sources=indicator.sources,
        filters=[(t("ind_pick", lang), name)],
        lang=lang,
        name=("indicator", code),
    )
    widgets.embed_item("indicator", lang, code=code, country=country)
    st.subheader(t("ind_by_state", lang))
    rows = indicator_views.by_state(table, code, lang)
    header = [t("col_country", lang), t("pi_col_baseline", lang, year=indicator.baseline_year)]
    header += [t("ind_latest_year", lang), t("pi_col_value", lang), t("pi_col_change", lang)]
    header.append(t("pi_col_assessment", lang))
    body_rows = [
        [
            r["country"],
            r["baseline"],
            r["latest_year"],
            r["latest"] + (" †" if r["note"] else ""),
            r["change"],
            r["assessment"],
        ]
        for r in rows
    ]
    st.markdown(tables.markdown_table(header, body_rows, right=(1, 2, 3, 4)))
    for note in indicator_views.notes_of(rows, lang):
        st.caption(f"† {note}")
    for row in rows:
        if row["outside"]:
            st.caption(f"{indicator_views.CHANGE_MARK.strip()} {row['country']}: {row['outside']}")
    with st.expander(t("pi_rule_title", lang)):
        st.markdown(t("pi_rule_text", lang))
    definition(code, lang)
    download(
        indicator_views.export_frame(table, code, lang),
        indicator_views.metadata_rows(code, lang),
        f"mirps-{code}-{lang}",
        lang,
    )


def download(frame, metadata: list[tuple[str, str]], name: str, lang: str) -> None:
    """The indicator's figures with its metadata rows, as CSV and Excel."""
    from mirps_dash import exports  # the chart libraries load only when a page offers files

    left, right, _ = st.columns([1, 1, 2])
    left.download_button(
        t("ind_download_csv", lang),
        lambda: indicator_views.csv_with_metadata(frame, metadata),
        f"{name}.csv",
        "text/csv",
        key="indicator_csv",
        on_click="ignore",
    )
    right.download_button(
        t("ind_download_xlsx", lang),
        lambda: exports.xlsx_bytes(frame, metadata),
        f"{name}.xlsx",
        widgets.XLSX_MIME,
        key="indicator_xlsx",
        on_click="ignore",
    )


ui.run("indicator", body)
