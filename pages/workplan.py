"""The Pro-Tempore Presidency's work plan: timeline, working groups and expected outcomes."""

from datetime import date

import streamlit as st

from mirps_dash import cache, charts, i18n, markup, metrics, tables, translations, ui, widgets
from mirps_dash.i18n import t

SOURCES = ("workplan",)


def timeline(frame: ui.Frame, plan_year: int) -> None:
    lang = frame.lang
    read = metrics.event_status(cache.workplan_events(frame.database_url, plan_year), date.today())
    events = translations.in_language(read, lang)
    counts = {status: metrics.where(events, status=status).height for status in metrics.EVENT_STATUSES}
    st.subheader(t("section_timeline", lang, n=events.height))
    st.markdown(t("timeline_counts", lang, **counts))
    widgets.chart_block(
        charts.workplan_timeline(events, lang),
        tables.view(events, ("event_no", "title", "date_text", "status"), rename={"status": "event_status"}),
        key="workplan_timeline",
        title=t("section_timeline", lang, n=events.height),
        sources=SOURCES,
        filters=[(t("filter_plan_year", lang), str(plan_year))],
        lang=lang,
        summary=t("timeline_note", lang),
        name=("workplan", plan_year, "timeline"),
    )
    widgets.embed_item("workplan", lang, plan_year=plan_year)
    undated = metrics.where(events, status="no_date")
    if undated.height:
        items = [
            f"- {markup.plain(row['event_no'])}. {markup.plain(row['title'])}" for row in undated.iter_rows(named=True)
        ]
        st.markdown("\n".join([f"**{t('undated_events', lang)}**\n", *items]))
    titles = [(row["event_no"], translations.originals(row, ("title",))) for row in events.iter_rows(named=True)]
    originals([f"{number}. {title[0]}" for number, title in titles if title], lang)


def originals(lines: list[str], lang: str) -> None:
    """The source's English beside a Spanish translation, one click away (none on an English page)."""
    if lines := [line for line in lines if line]:
        with st.expander(t("original_english", lang)):
            st.markdown("\n".join(f"- {markup.plain(line)}" for line in lines))


def groups(frame: ui.Frame, plan_year: int) -> None:
    lang = frame.lang
    st.subheader(t("section_groups", lang))
    rows = translations.in_language(cache.workplan_groups(frame.database_url, plan_year), lang)
    for column, group in zip(st.columns(max(rows.height, 1)), rows.iter_rows(named=True), strict=False):
        dates = [t("group_created", lang, year=group["created"])]
        first = group["first_session"]
        dates += [t("group_first_session", lang, date=markup.plain(i18n.source_date(first, lang)))] if first else []
        parts = [("group_focus", group["focus"]), ("group_members", group["suggested_members"])]
        parts += [("group_partners", group["partners"])] if group["partners"] else []
        text = "\n\n".join(f"*{t(key, lang)}:* {markup.plain(text)}" for key, text in parts)
        card = widgets.card_text(markup.plain(group["name"]), " · ".join(dates), text)
        column.container(border=True).markdown(card)
    texts = ("name", "focus", "suggested_members", "partners")
    originals([" · ".join(translations.originals(group, texts)) for group in rows.iter_rows(named=True)], lang)
    widgets.source_footer(SOURCES, lang)


def outcomes(frame: ui.Frame, plan_year: int) -> None:
    lang = frame.lang
    st.subheader(t("section_outcomes", lang))
    rows = translations.in_language(cache.workplan_outcomes(frame.database_url, plan_year), lang)
    for column, kind in zip(st.columns(3), ("deliverable", "event", "visibility"), strict=True):
        items = [f"**{t(f'kind_{kind}', lang)}**\n"]
        for outcome in metrics.where(rows, kind=kind).iter_rows(named=True):
            cadence = f" ({t('cadence_' + outcome['cadence'], lang)})" if outcome["cadence"] else ""
            items.append(f"- **{markup.plain(outcome['title'])}**{cadence}: {markup.plain(outcome['description'])}")
        column.markdown("\n".join(items))  # one element a column
    st.caption(t("outcome_status_unreported", lang))
    originals(
        [": ".join(translations.originals(row, ("title", "description"))) for row in rows.iter_rows(named=True)], lang
    )
    widgets.source_footer(SOURCES, lang)


def partnerships(frame: ui.Frame, plan_year: int) -> None:
    lang = frame.lang
    st.subheader(t("section_partnerships", lang))
    rows = translations.in_language(cache.workplan_partnerships(frame.database_url, plan_year), lang)
    if rows.is_empty():
        st.info(t("no_data_reported", lang))
        return
    for column, partnership in zip(st.columns(rows.height), rows.iter_rows(named=True), strict=True):
        levels = ", ".join(t(f"level_{level}", lang) for level in partnership["levels"].split(";"))
        card = widgets.card_text(
            markup.plain(partnership["partner"]),
            t("partnership_levels", lang, levels=levels),
            markup.plain(partnership["planned_actions"]),
        )
        column.container(border=True).markdown(card)
    texts = ("partner", "planned_actions")
    originals([": ".join(translations.originals(row, texts)) for row in rows.iter_rows(named=True)], lang)
    widgets.source_footer(SOURCES, lang)


def body(frame: ui.Frame) -> None:
    lang = frame.lang
    years = cache.workplan_years(frame.database_url)
    if not years:
        st.title(t("workplan_title", lang))
        st.info(t("no_data_reported", lang))
        return
    # The plan's picker beside the lead, under the title it names: the timeline starts above the fold at
    # 1280x720 with the sidebar open.
    title = st.empty()
    lead_column, column = st.columns([5, 1], vertical_alignment="center")
    plan_year = widgets.url_widget(
        column, "selectbox", t("filter_plan_year", lang), years, key="plan_year", default=years[-1], cast=int
    )
    title.title(f"{t('workplan_title', lang)} {plan_year}")
    lead_column.markdown(t("workplan_lead", lang, year=plan_year))
    lead_column.caption(t("workplan_language_note", lang))
    timeline(frame, plan_year)
    st.divider()
    groups(frame, plan_year)
    st.divider()
    partnerships(frame, plan_year)
    st.divider()
    outcomes(frame, plan_year)


ui.run("workplan", body)
