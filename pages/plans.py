"""Progress against national plans: commitments, indicators against targets, the national chapter."""

from datetime import date

import streamlit as st

from mirps_dash import (
    access,
    cache,
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

SOURCES = ("mirps_commitments",)
# The indicator table after its name: what a national team and a donor read of each indicator.
INDICATOR_COLUMNS = (
    "unit",
    "baseline_value",
    "latest_value",
    "latest_period",
    "target_value",
    "target_year",
    "status",
)


def number(value: float | None, unit: str, lang: str) -> str:
    """People and households are whole; percentages and days keep one decimal where they have one."""
    whole = unit in ("people", "households")
    digits = 1 if value is not None and value != int(value) and not whole else 0
    return f"{i18n.number(value, lang, digits)} {t('unit_' + unit, lang)}".replace(" %", "%")


def matrix_cell(cell, lang: str) -> str:
    if cell.is_empty():
        return i18n.NO_FIGURE
    c = cell.row(0, named=True)
    commitments = c["commitments"] if c["commitments"] is not None else i18n.NO_FIGURE
    if not c["indicators"]:  # no indicator to count: not "0/0" (after `demo purge`, or none defined yet)
        return t("matrix_cell_no_indicators", lang, commitments=commitments)
    return t(
        "matrix_cell",
        lang,
        commitments=commitments,
        with_data=c["with_status"] or 0,
        indicators=c["indicators"],
        on_track=i18n.NO_FIGURE if c["share_on_track"] is None else i18n.percent(c["share_on_track"], lang),
    )


def matrix(frame: ui.Frame, table, period: int, illustrative: bool) -> None:
    """Country x focus area, as one Markdown table: seven rows a screen share reads whole, where a data grid
    scrolled and made the browser fetch and start its 1.2 MB of code. A State's illustrative indicators
    have a row of their own, marked, under its real one: no cell mixes real and illustrative figures."""
    lang = frame.lang
    st.subheader(t("section_matrix", lang, period=period))
    st.caption(t("matrix_note", lang))
    areas = metrics.distinct(table, "focus_area")
    rows = []
    for country in settings.MIRPS_COUNTRIES:
        name = i18n.country_name(country, lang)
        real = [
            matrix_cell(metrics.where(table, country_iso3=country, focus_area=a, is_illustrative=False), lang)
            for a in areas
        ]
        rows.append([name, *real])
        invented = metrics.where(table, country_iso3=country, is_illustrative=True)
        if not invented.is_empty():
            cells = [matrix_cell(metrics.where(invented, focus_area=a), lang) for a in areas]
            rows.append([f"{name} · {widgets.illustrative_mark(lang)}", *cells])
    header = [t("col_country", lang), *(t(f"focus_{area}", lang) for area in areas)]
    st.markdown(widgets.marked(tables.markdown_table(header, rows), illustrative, lang))
    widgets.source_footer(SOURCES + (("illustrative",) if illustrative else ()), lang)


def indicator(frame: ui.Frame, row: dict, values) -> None:
    lang = frame.lang
    name = markup.plain(row["name_es"] if lang == "es" else row["name_en"])
    arrow = t(f"trend_{row['trend']}", lang) if row["trend"] else ""
    mark = f" · {widgets.illustrative_mark(lang)}" if row["is_illustrative"] else ""
    link = indicator_views.page_link(row["indicator_code"], lang)
    st.markdown(f"**[{name}]({link})** — {t('status_' + row['status'], lang)} {arrow}{mark}")
    validation = (
        t("validated", lang, when=i18n.source_date(str(row["validated_at"])[:10], lang))
        if row["validated_by"] and row["validated_at"]
        else t("not_validated", lang)
    )
    line = t(
        "indicator_line",
        lang,
        baseline=number(row["baseline_value"], row["unit"], lang),
        baseline_year=row["baseline_year"],
        latest=number(row["latest_value"], row["unit"], lang),
        latest_year=row["latest_period"] or t("no_data", lang),
        target=number(row["target_value"], row["unit"], lang),
        target_year=row["target_year"],
    )
    st.caption(f"{line}  \n{validation}")  # one caption of two lines: each element is a message to every visitor
    own = progress.series_of(values, row["indicator_id"])
    target = progress.target_of(row)
    needed = progress.needed_path(target, range(target.baseline_year, target.target_year + 1))
    widgets.draw(
        charts.indicator_trajectory(
            own, needed, (target.target_year, target.target), lang, illustrative=row["is_illustrative"]
        ),
        summary=f"{row['name_es'] if lang == 'es' else row['name_en']}: {line}",
        key=f"plans_indicator_{row['indicator_id']}",
    )


def commitment_card(frame: ui.Frame, commitment, funding) -> None:
    lang = frame.lang
    first = commitment.row(0, named=True)
    sums = progress.funding_sums(funding, first["commitment_code"])
    need = first["costed_need_usd"]
    amounts = {
        "costed_need": need,
        "funding_pledged": sums["pledged"],
        "funding_committed": sums["committed"],
        "funding_paid": sums["paid"],
        "funding_gap": progress.funding_gap(need, sums),
    }
    # One line an amount, as a list: a two-column table ran past a card's edge on a 1280 px screen share,
    # where a list wraps (never between the currency and its amount).
    lines = "\n".join(f"- {t(key, lang)}: **USD\u00a0{i18n.number(amount, lang)}**" for key, amount in amounts.items())
    with st.expander(f"{t('commitment_card', lang)}: {markup.plain(first['commitment_' + lang])}"):
        st.markdown(widgets.marked(lines, first["is_illustrative"], lang))  # one element, where metrics were eleven
        st.caption(t("pledges_note", lang))
        st.markdown(
            f"{t('page_workplan', lang)}: {markup.plain(first['working_group'])}"
            if first["working_group"]
            else t("working_group_none", lang)
        )


def country_detail(frame: ui.Frame, country: str, period: int, status_view, values) -> None:
    lang = frame.lang
    own = metrics.where(status_view, country_iso3=country)
    name = i18n.country_name(country, lang)
    st.subheader(name)
    if own.is_empty():
        st.info(t("no_plan_data", lang, country=name))
        return
    reported, total = progress.coverage(own)
    st.markdown(f"**{t('coverage', lang, reported=reported, total=total, period=period)}**")
    table = tables.view(own, (f"name_{lang}", *INDICATOR_COLUMNS), rename={f"name_{lang}": "name"})
    widgets.chart_block(
        None,
        table,
        key="plans_indicator_table",
        title=t("section_indicator_table", lang, country=name, period=period),
        sources=("illustrative",) if own["is_illustrative"].any() else SOURCES,
        filters=[(t("filter_country", lang), name), (t("filter_period", lang), str(period))],
        lang=lang,
        name=("plans", country, period),
        illustrative=bool(own["is_illustrative"].any()),
    )
    national_chapter(frame, country, period)
    funding = cache.funding(frame.database_url)
    # Three cards a row over the page's width: beside a narrow chapter column they were under 200 px wide
    # at 1280 px, and the column stood empty below the chapter's few lines.
    grid = st.columns(3)
    for index, commitment in enumerate(metrics.partitions(own, "commitment_code")):
        first = commitment.row(0, named=True)
        with grid[index % 3].container(border=True):
            commitment_name = markup.plain(first["commitment_" + lang])
            st.markdown(f"**{t('focus_' + first['focus_area'], lang)} · {commitment_name}**")
            for row in commitment.iter_rows(named=True):
                indicator(frame, row, values)
            commitment_card(frame, commitment, funding)


def national_chapter(frame: ui.Frame, country: str, period: int) -> None:
    """What the national technical team wrote of the period: the story the indicators below put in numbers."""
    lang = frame.lang
    heading = f"**{t('section_narrative', lang, period=period)}**"
    chapters = cache.narratives(frame.database_url, access.read_scope(frame.actor))
    narrative = metrics.where(chapters, country_iso3=country, period=period)
    if narrative.is_empty():
        st.markdown(heading)
        st.info(t("narrative_none", lang))
        return
    row = narrative.row(0, named=True)
    text = markup.plain(row[f"text_{lang}"], lines=True)  # what the team typed, line breaks kept
    st.markdown(f"{heading}\n\n" + widgets.marked(text, row["is_illustrative"], lang))


def public_statistics(frame: ui.Frame, country: str, year_container) -> None:
    """Progress measured with public statistics first: real figures for every State, each linked to its
    indicator page, then one indicator's trend beside the other States."""
    lang = frame.lang
    table = cache.public_indicator_table(frame.database_url)
    years = public_indicators.years(table)
    if not years:
        st.info(t("no_rows", lang))
        return
    year = widgets.url_widget(
        year_container, "selectbox", t("filter_year", lang), years, key="year", default=years[0], cast=int
    )
    name = i18n.country_name(country, lang)
    widgets.public_indicator_summary(table, country, year, lang)
    with st.expander(t("pi_rule_title", lang)):
        st.markdown(t("pi_rule_text", lang))
    codes = [indicator.code for indicator in public_indicators.INDICATORS]
    code = widgets.url_widget(
        st,
        "selectbox",
        t("pi_trend_pick", lang),
        codes,
        key="indicator",
        default="asy_protection_rate",
        format_func=lambda c: indicator_texts.name(c, lang),
    )
    indicator = public_indicators.BY_CODE[code]
    series = public_indicators.lines(table, code)
    title = t("pi_trend_title", lang, indicator=indicator_texts.name(code, lang), country=name)
    st.markdown(f"**{title}**")
    widgets.chart_block(
        charts.public_indicator_lines(series, indicator.unit, lang, country),
        series,
        key="plans_public_trend",
        title=title,
        sources=indicator.sources,
        filters=[(t("filter_country", lang), name), (t("pi_trend_pick", lang), indicator_texts.name(code, lang))],
        lang=lang,
        name=("plans", code, country),
    )
    widgets.embed_item("indicator", lang, code=code, country=country)
    st.page_link(
        "pages/indicator.py",
        label=f"{t('page_indicator', lang)}: {indicator_texts.name(code, lang)}",
        query_params={"code": code, "country": country, "lang": lang},
    )


def team_indicators(frame: ui.Frame, country: str) -> None:
    """What the national teams report against their own plans' targets (illustrative until they do)."""
    lang = frame.lang
    st.header(t("team_section_title", lang))
    indicators = cache.plan_indicators(frame.database_url)
    values = cache.indicator_values(frame.database_url, access.read_scope(frame.actor))
    span = cache.population_years(frame.database_url)
    periods = metrics.distinct(values, "period")[::-1] or [span[1] if span else date.today().year]
    period = widgets.url_widget(
        st.columns([1, 3])[0],
        "selectbox",
        t("filter_period", lang),
        periods,
        key="period",
        default=periods[0],
        cast=int,
    )
    status_view = progress.indicator_progress(indicators, values, period)
    illustrative = bool(status_view["is_illustrative"].any())
    if illustrative:
        st.warning(t("illustrative_banner", lang))
    matrix(
        frame, progress.regional_matrix(cache.commitment_counts(frame.database_url), status_view), period, illustrative
    )
    with st.expander(t("rule_title", lang)):
        st.markdown(t("rule_text", lang))
    st.divider()
    country_detail(frame, country, period, status_view, values)


def body(frame: ui.Frame) -> None:
    lang = frame.lang
    st.title(t("plans_title", lang))
    st.markdown(t("plans_lead", lang))
    country_column, year_column, _ = st.columns([2, 1, 2])
    country = widgets.country_picker(country_column, lang)
    public_statistics(frame, country, year_column)
    st.divider()
    team_indicators(frame, country)


ui.run("plans", body)
