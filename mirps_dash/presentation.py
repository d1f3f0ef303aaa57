"""Presentation mode (`?present=1`): one message per slide, large type, the source on every slide.

The deck (`?deck=region` or an ISO3 code) and the slide number (`?slide=3`) live in the URL, so a
presenter can share the exact slide; the Left and Right keys step through it, and `?auto=SECONDS` (or
the control beside the slide number) moves on by itself.
"""

from __future__ import annotations

import time
from datetime import date

import streamlit as st

from mirps_dash import access, briefing, cache, cuts, markup, settings, slides, widgets
from mirps_dash.i18n import t

# Sizes for a 1280x720 screen share (headline figures of at least 48 px, labels of at least 20 px). A larger
# screen shows the same slide larger, not emptier: the slide is scaled by the largest step that still fits
# both the width and the height (1.5 at 1920x1080), so charts, type and spacing grow together. Steps, not a
# formula: CSS cannot divide a length by a length in every browser a presenter may use. Streamlit sizes a
# chart to its element's width as drawn (scaled), so a chart's element is made that much narrower: Vega then
# draws it at the slide's own width, and the scale brings it to the screen's.
SLIDE_WIDTH, SLIDE_HEIGHT = 1280, 720
ZOOM_STEPS = (1.125, 1.25, 1.375, 1.5, 1.625, 1.75, 2, 2.25, 2.5, 3)
TITLE_PX = 42  # a slide title's type; a longer title takes a smaller size (`title_px`) to stay on one line
TITLE_MIN_PX = 30
TITLE_CHARS = 50  # characters of a title at TITLE_PX that fit the 1,120 px between the slide's margins
STYLE = (
    """
<style>
[data-testid='stSidebar'], [data-testid='stHeader'], [data-testid='stToolbar'] {display: none}
.block-container {padding-top: 0.4rem; padding-bottom: 0.2rem; max-width: 100%}
.block-container {align-self: flex-start; transform-origin: 0 0}
[data-testid='stMetricValue'], [data-testid='stMetricValue'] * {font-size: 52px !important; line-height: 1}
[data-testid='stMetricDelta'], [data-testid='stMetricDelta'] * {font-size: 20px !important}
[data-testid='stMarkdownContainer'] p, [data-testid='stMarkdownContainer'] li {font-size: 22px}
[data-testid='stCaptionContainer'], [data-testid='stCaptionContainer'] p {font-size: 20px}
h1 {padding: 0 !important; line-height: 1.15 !important; overflow-wrap: anywhere}
[data-testid='stHeading'] [data-testid='stMarkdownContainer'] {margin-bottom: 0}
[data-testid='stVerticalBlock'] {gap: 0.4rem}
[data-testid='stCaptionContainer'] p {margin-bottom: 0; line-height: 1.35}
[data-testid='stSelectbox'] input, [role='listbox'] [role='option'] {font-size: 20px}
.slide-counter {text-align: center; font-size: 20px}
[data-testid='stMarkdownContainer']:has(> .slide-counter) {margin-bottom: 0}
"""
    + "".join(
        f"@media (min-width: {SLIDE_WIDTH * z:g}px) and (min-height: {SLIDE_HEIGHT * z:g}px) "
        f"{{[data-testid='stMainBlockContainer'] {{transform: scale({z:g}); width: calc(100% / {z:g})}} "
        f"[data-testid='stVegaLiteChart'] {{width: calc(100% / {z:g}) !important; overflow: visible}}}}\n"
        for z in ZOOM_STEPS
    )
    + "</style>"
)


def title_px(title: str) -> int:
    """The title's type size: TITLE_PX, smaller for a title too long for one line at it, never under
    TITLE_MIN_PX (a longer one wraps onto a second line, which the slide's layout leaves room for)."""
    return max(TITLE_MIN_PX, min(TITLE_PX, TITLE_PX * TITLE_CHARS // max(len(title), 1)))


FOOTNOTE_MARKS = ("¹", "²", "³", "⁴", "⁵", "⁶")  # one per card on a slide (never "*": Markdown emphasis)


def _cards(cards: tuple[briefing.Card, ...]) -> list[str]:
    """Headline cards two a row (at 1280 px four side by side cannot hold seven digits at slide size). Height
    is short on a slide: a card keeps its first note, and its others go below the cards (the lines returned)
    under a mark of its own, on its change (or on its label when it has none)."""
    below = []
    columns = [column for _ in range(0, len(cards), 2) for column in st.columns(2)]
    for column, card in zip(columns, cards, strict=False):
        label, notes, delta = card.label, card.notes, card.delta
        if len(notes) > 1:
            mark = FOOTNOTE_MARKS[len(below) % len(FOOTNOTE_MARKS)]
            below.append(f"{mark} {card.label}: " + " ".join(notes[1:]))
            notes = notes[:1]
            label, delta = (label, f"{delta} {mark}") if delta else (f"{label} {mark}", delta)
        widgets.figure_card(column, label, card.value, delta=delta, help=card.help, notes=notes)
    return below


def _slide(frame, content: briefing.Content) -> None:
    """Draw one slide: its headline cards or its chart, then one caption of footnotes, the note the slide needs
    to be read right, its sources and the credit line. One caption, not four: Streamlit's captions overlap
    each other's leading, and each boundary would cost a line's height at 720 px."""
    lang = frame.lang
    below = _cards(content.cards) if content.cards else []
    if content.chart is not None:
        widgets.draw(briefing.on_slide(content.chart), summary=content.note or content.title)
    if content.illustrative:
        st.markdown(widgets.illustrative_mark(lang))
    below += [content.note] if content.note else []
    lines = [markup.plain(line) for line in below]  # notes may name what the database holds
    st.caption("  \n".join([*lines, widgets.source_line(content.sources, lang), t("credit", lang)]))


def _go(number: int) -> None:
    st.query_params["slide"] = str(number)


AUTO_CHOICES = (0, 10, 20, 30, 60)  # seconds; 0 is off. `?auto=N` adds any other whole number up to an hour
AUTO_KEY = "present_auto_shown"  # (deck, slide, when the timer first saw it)


def _auto_seconds(container, lang: str) -> int:
    """The auto-advance interval from `?auto=` and its control; the URL carries it only while it is on."""
    options = list(AUTO_CHOICES)
    requested = st.query_params.get("auto", "")
    if requested.isascii() and requested.isdigit() and 0 < int(requested) <= 3600 and int(requested) not in options:
        options = sorted({*options, int(requested)})

    def label(seconds: int) -> str:
        return t("present_auto_seconds", lang, n=seconds) if seconds else t("present_auto_off", lang)

    seconds = widgets.url_widget(
        container,
        "selectbox",
        t("present_auto", lang),
        options,
        key="auto",
        default=0,
        cast=int,
        format_func=label,
        label_visibility="collapsed",  # the label stays for screen readers; the options say "Auto: 20 s"
    )
    if not seconds:
        del st.query_params["auto"]
        st.session_state["_url_auto"] = []
    return seconds


def _advance_every(seconds: int, deck_name: str, number: int, total: int) -> None:
    """Move to the next slide once the current one has been up `seconds`; stop at the last slide.

    A fragment that reruns on its own every `seconds` checks the time, so a slide reached by hand
    still gets its full time before the timer moves on."""
    if not seconds or number >= total:
        st.session_state.pop(AUTO_KEY, None)  # a stale start must not skip a slide when the timer resumes
        return

    @st.fragment(run_every=seconds)
    def timer() -> None:
        now = time.monotonic()
        deck_seen, number_seen, since = st.session_state.get(AUTO_KEY) or (None, None, now)
        if (deck_seen, number_seen) != (deck_name, number):
            st.session_state[AUTO_KEY] = (deck_name, number, now)
        elif now - since >= seconds - 0.5:  # the timer may fire a little early
            _go(number + 1)
            st.rerun()

    timer()


def _shortened(text: str) -> str:
    return text if len(text) <= cuts.MAX_NAME else text[: cuts.MAX_NAME] + "…"


def _cut_picker(container, listed: list[cuts.Info], lang: str) -> str | None:
    """The data cut to present (`?cut=NAME`), newest first; "live figures" (None) by default and off the URL."""
    requested = st.query_params.get("cut", "")
    names = ["", *reversed([info.name for info in listed])]
    chosen = widgets.url_widget(
        container,
        "selectbox",
        t("cut_pick", lang),
        names,
        key="cut",
        default="",
        format_func=lambda name: name or t("cut_live", lang),
        label_visibility="collapsed",  # the options say what they are: "Live figures", "Plenary 2025-11"
    )
    if requested and requested not in names:  # a link's text: shown as text, cut to a name's length
        st.warning(markup.plain(t("cut_err_unknown", lang, name=_shortened(requested))))
    if not chosen:
        del st.query_params["cut"]
        st.session_state["_url_cut"] = []
    return chosen or None


def _create_cut(frame) -> None:
    """A form that freezes the live figures under a name: approvers only (the check is in `cuts.create`)."""
    lang = frame.lang
    if frame.actor is None or frame.role not in access.APPROVERS:
        return
    st.divider()
    st.markdown(f"**{t('cut_create', lang)}**")
    st.caption(t("cut_create_lead", lang))
    with st.form("present_cut_form", border=False):
        name = st.text_input(t("cut_name", lang), max_chars=cuts.MAX_NAME)
        as_of = st.date_input(t("cut_as_of", lang), value=date.today())
        if not st.form_submit_button(t("cut_create_button", lang)):
            return
    try:
        made = cuts.create(cache.reader(frame.database_url), name, as_of, actor=frame.actor)
    except cuts.CutError as error:
        st.error(markup.plain(error.message(lang)))  # may name what the approver typed
        return
    except access.Refused:
        st.error(t("cut_refused", lang))
        return
    cache.cut_created()
    st.session_state["_url_cut"] = None  # the URL below is new to the picker: it takes it on the rerun
    st.query_params["cut"] = made.name
    st.toast(markup.plain(t("cut_created", lang, name=made.name)))
    st.rerun()


def _scope(item: slides.Slide) -> str | None:
    if item.kind == "headline":
        return cuts.REGION
    return item.country if item.kind == "country" else None


def _changes(frame, cut_name: str | None, deck_name: str, item: slides.Slide, first: bool) -> None:
    """What moved since the previous cut (for live figures: since the newest cut): on the deck's first
    slide every change in the deck, on a slide of headline figures the changes of its figures."""
    lang = frame.lang
    before = cuts.previous_of(cache.cut_list(frame.database_url), cut_name)
    if before is None:
        return
    older = cache.cut(frame.database_url, before.name)
    current = cache.live_figures(frame.database_url) if cut_name is None else cache.cut(frame.database_url, cut_name)
    if older is None or current is None:
        return
    scopes = None if deck_name == slides.REGION else {deck_name}
    found = [c for c in cuts.changes(older, current) if scopes is None or c.scope in scopes]
    if not first:
        found = [c for c in found if c.scope == _scope(item)]
    key = "cut_changes" if cut_name else "cut_changes_live"
    heading = markup.plain(t(key, lang, previous=before.name))
    if found:
        st.caption(f"**{heading}:** " + markup.plain(" · ".join(change.line(lang) for change in found)))
    elif first:
        st.caption(markup.plain(t("cut_no_changes", lang, previous=before.name)))


def deck_of(data: briefing.Data, name: str) -> list[slides.Slide]:
    """The slides of deck `name` that have something current to say: the work plan's only when a plan for this
    year is loaded. A slide a data cut cannot draw stays, and says why (the files leave it out)."""
    return slides.deck(name, workplan=briefing.current_plan_year(data) is not None)


def show(frame, default_deck: str = slides.REGION) -> None:
    """The deck named in the URL (else `default_deck`), at the slide named in the URL, from the live
    figures or from the data cut named in the URL (`?cut=`), whose name then stands on every slide."""
    lang = frame.lang
    st.markdown(STYLE, unsafe_allow_html=True)  # our own fixed CSS; no user text
    requested = st.query_params.get("deck") or default_deck
    deck_name = requested if requested in settings.MIRPS_COUNTRIES else slides.REGION
    st.query_params["deck"] = deck_name
    listed = cache.cut_list(frame.database_url)
    if listed or st.query_params.get("cut"):  # room for the cut picker only where there are cuts to pick
        previous, counter, picker, auto, files, following = st.columns(
            [1.25, 0.8, 1.5, 1.1, 1.3, 1.25], vertical_alignment="center"
        )
        cut_name = _cut_picker(picker, listed, lang)
    else:
        previous, counter, auto, files, following = st.columns([1.1, 2, 1.3, 1.2, 1.1], vertical_alignment="center")
        cut_name = None
    data = cache.figures_of(frame.database_url, cut_name)
    span = data.population_years()
    if span is None:
        st.info(t("no_data_reported", lang))
        return
    deck = deck_of(data, deck_name)
    number = slides.position(st.query_params.get("slide"), deck)
    st.query_params["slide"] = str(number)
    previous.button(
        t("present_previous", lang),
        shortcut="Left",
        disabled=number == 1,
        on_click=_go,
        args=(number - 1,),
        width="stretch",  # both ends of the bar line up with the slide's edges
    )
    counter.markdown(
        f"<div class='slide-counter'>{t('present_slide', lang, n=number, total=len(deck))}</div>",
        unsafe_allow_html=True,  # fixed strings of ours
    )
    seconds = _auto_seconds(auto, lang)
    with files.popover(t("present_downloads", lang)):
        widgets.file_downloads(frame.database_url, lang, deck_name, cut_name)
        _create_cut(frame)
    following.button(
        t("present_next", lang),
        shortcut="Right",
        disabled=number == len(deck),
        on_click=_go,
        args=(number + 1,),
        width="stretch",
    )
    item = deck[number - 1]
    try:
        content = briefing.slide(data, item, lang, span)
    except cuts.CutError as error:  # a cut made by an older version that lacks what this slide reads
        st.error(markup.plain(error.message(lang)))
        return
    # Our own number in our own CSS; a <style> alone takes no room on the slide.
    st.html(f"<style>h1 {{font-size: {title_px(content.title)}px !important}}</style>")
    if cut_name:  # beside the title, where a viewer of the shared screen sees it on every slide
        heading, stamp = st.columns([3.2, 1], vertical_alignment="center")
        heading.title(content.title)
        stamp.caption(f"**{markup.plain(data.stamp(lang))}**")
    else:
        st.title(content.title)
    _slide(frame, content)  # its sources and the credit line under it
    _changes(frame, cut_name, deck_name, item, first=number == 1)
    _advance_every(seconds, deck_name, number, len(deck))
