"""The frame every page calls first, and the small shared widgets pages lay out.

`run(page_key, body)` sets the page config, resolves the language (`?lang=`, else the browser's, else
Spanish) and writes it back to the URL, checks the role may open the page, draws the navigation and the
language switch, loads the shipped data on a fresh database with a progress bar, and then calls
`body(frame)`. A database that cannot be reached gives a plain message, never a traceback.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from dataclasses import dataclass

import streamlit as st
from sqlalchemy.exc import SQLAlchemyError

from mirps_dash import access, accounts, auth, cache, database, i18n, load, markup, settings, sockets
from mirps_dash.i18n import t

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class PageInfo:
    """A page of the navigation. No icons: emoji and Material icons render as blank boxes offline."""

    key: str
    script: str
    listed: bool = True  # a detail page (one indicator) is reached through its links, not the sidebar


PAGES: tuple[PageInfo, ...] = (
    PageInfo("overview", "app.py"),
    PageInfo("displacement", "pages/displacement.py"),
    PageInfo("country", "pages/country.py"),
    PageInfo("plans", "pages/plans.py"),
    PageInfo("cities", "pages/cities.py"),
    PageInfo("workplan", "pages/workplan.py"),
    PageInfo("support", "pages/support.py"),
    PageInfo("data", "pages/data.py"),
    PageInfo("about", "pages/about.py"),
    PageInfo("indicator", "pages/indicator.py", listed=False),
)


@dataclass(frozen=True)
class Frame:
    """What a page body needs from the frame."""

    lang: str
    database_url: str
    role: str
    present: bool
    user: accounts.User | None = None

    @property
    def actor(self) -> access.Actor | None:
        return self.user.actor if self.user else None


# Text at WCAG's 4.5:1 (1.4.3), checked by tests/test_accessibility.py. Streamlit sets a caption at 60% opacity:
# a link in one (every source line) fell to 2.5:1 on white; full opacity in the theme's grayTextColor. A chosen
# option of a segmented control is the accent on a tint of itself, 3.9:1 when focused: a darker blue of its hue.
FRAME_STYLE = """
[data-testid='stCaptionContainer'] {opacity: 1; color: #595959}
[data-testid='stButtonGroup'] button[data-selected='true'],
[data-testid='stButtonGroup'] button[data-selected='true'] * {color: #00507E}
[data-testid='stElementContainer']:has(> [data-testid='stHtml'] > #frame-lang) {display: none}
"""

# The page around the figures outside presentation mode, which sets its own. At 1280x720 with the sidebar open
# the first chart or headline figures show above the fold: Streamlit's 6rem above the title and 5rem each side
# took room a shared screen needs (the title stays below the 3.75rem toolbar). On a phone a table wider than
# the screen scrolls in its own box: the page itself never scrolls sideways.
PAGE_STYLE = """
[data-testid='stHeader'] {height: 2.75rem; min-height: 2.75rem}
[data-testid='stMainBlockContainer'] {padding-top: 2.75rem}
[data-testid='stMainBlockContainer'] h1 {padding-top: 0.5rem}
@media (min-width: 736px) {
  [data-testid='stMainBlockContainer'] {padding-left: 3rem; padding-right: 3rem}
}
[data-testid='stMarkdownContainer']:has(> table) {overflow-x: auto}
@media (max-width: 639px) {
  [data-testid='stMainBlockContainer'] h1 {font-size: 2.1rem}
  [data-testid='stMarkdownContainer'] :is(th, td) {padding: 0.4rem 0.5rem}
}
"""


# Streamlit's own words, in English whatever the app's language (1.67 has no setting for them): the toolbar
# over tables and charts ("Search", "Fullscreen", "Download as CSV", "Show/hide columns") and a table's
# column menu go, since every table and chart has its own downloads, which carry the sources and marks; a
# file box's "Upload" and "2MB per file" give way to the page's words (the label says the file types and size);
# the button's own word stays for screen readers, hidden from sight, so the button keeps a name.
def builtin_style(lang: str) -> str:
    choose = json.dumps(t("upload_choose", lang))
    return f"""
[data-testid='stElementToolbar'], [data-testid='stDataFrameColumnMenuTarget'] {{display: none}}
[data-testid='stFileUploaderDropzoneInstructions'] {{display: none}}
[data-testid='stFileUploaderDropzone'] button {{font-size: 0; position: relative}}
[data-testid='stFileUploaderDropzone'] button * {{
  position: absolute; width: 1px; height: 1px; overflow: hidden; clip-path: inset(50%)
}}
[data-testid='stFileUploaderDropzone'] button::after {{content: {choose}; font-size: 1rem}}
"""


def _page_language(lang: str, present: bool = False) -> None:
    """The page's `<html lang>` set to the language it is drawn in, for screen readers and the browser's
    offer to translate: Streamlit's page says "en" whatever the app's language, and no page config sets it
    (1.67). One element, the frame's styles with it, hidden: its script and styles work all the same."""
    script = f"<script id='frame-lang'>document.documentElement.lang = {json.dumps(lang)};</script>"
    style = FRAME_STYLE + builtin_style(lang)
    if not present:
        style += PAGE_STYLE
    st.html(f"<style>{style}</style>{script}", unsafe_allow_javascript=True)  # ours; no user text


def _database_errors() -> tuple[type[BaseException], ...]:
    errors: list[type[BaseException]] = [SQLAlchemyError, OSError]
    try:
        import adbc_driver_manager

        errors.append(adbc_driver_manager.Error)
    except ImportError:
        pass
    return tuple(errors)


def _language() -> str:
    requested = st.query_params.get("lang")
    if requested in i18n.LANGS:
        lang = requested
    else:
        lang = st.session_state.get("lang") or i18n.resolve_lang(None, st.context.locale)
    st.session_state["lang"] = lang
    st.query_params["lang"] = lang
    return lang


def _language_switch(lang: str) -> None:
    labels = {"es": "Español", "en": "English"}
    chosen = st.sidebar.segmented_control(
        t("language", lang), i18n.LANGS, default=lang, format_func=labels.get, key=f"frame_lang_{lang}"
    )
    if chosen and chosen != lang:
        st.session_state["lang"] = chosen
        st.query_params["lang"] = chosen
        st.rerun()


def _navigation(frame: Frame) -> None:
    sidebar = st.sidebar
    sidebar.markdown(f"### {t('app_title', frame.lang)}")
    sidebar.caption(t("app_subtitle", frame.lang))
    for page in PAGES:
        if page.listed and access.can_open(frame.role, page.key):
            sidebar.page_link(
                page.script,
                label=t(f"page_{page.key}", frame.lang),
                query_params={"lang": frame.lang},
            )
    _language_switch(frame.lang)
    if frame.user is None:
        sidebar.page_link("pages/data.py", label=t("auth_sign_in_link", frame.lang), query_params={"lang": frame.lang})
    # A button, not a link: a link to this page would show as the active page; and it presents this page's
    # deck (the country page its country's).
    sidebar.button(t("present_start", frame.lang), key="frame_present", on_click=_start_presenting)
    sidebar.caption(t("credit", frame.lang))


def _start_presenting() -> None:
    st.query_params["present"] = "1"
    st.query_params.pop("slide", None)


def _ensure_loaded(frame: Frame) -> None:
    """On a database that is empty or behind, load the shipped data once, showing progress."""
    if not cache.needs_load(frame.database_url):
        return
    with cache.load_lock(frame.database_url):
        engine = cache.reader(frame.database_url).engine
        if load.needs_load(engine):
            text = t("first_run_loading", frame.lang)
            bar = st.progress(0.0, text=text)
            try:
                load.first_load(engine, progress=lambda done, name: bar.progress(done, text=f"{text} {name}"))
            except load.DataFileError as error:
                bar.empty()
                st.error(f"{t('load_failed', frame.lang)}\n\n{markup.plain(i18n.load_error(error, frame.lang))}")
                st.stop()
            bar.empty()
            st.toast(t("first_run_done", frame.lang))
        cache.clear()


def _signed_in(frame: Frame, page_key: str, gate: auth.Gate) -> tuple[Frame, bool]:
    """The frame with its user, asking for a sign-in when the page or the deployment needs one; False
    when the page must not be drawn (a sign-in form or a refusal is shown instead)."""
    try:
        auth.cookie_key()
    except settings.WeakCookieKey:
        st.error(t("auth_weak_key", frame.lang))
        return frame, False
    user = gate.current_user()
    if user is None and (not access.can_open(access.PUBLIC, page_key) or not settings.public_viewing()):
        st.title(t(f"page_{page_key}", frame.lang))
        st.caption(t("auth_needed", frame.lang))
        gate.sign_in_form()
        return frame, False
    role = user.role if user else access.PUBLIC
    signed_in = Frame(frame.lang, frame.database_url, role, frame.present, user)
    if not access.can_open(role, page_key):
        st.warning(t("auth_role_refused", frame.lang, role=t(f"userrole_{role}", frame.lang)))
        return signed_in, False
    return signed_in, True


def run(page_key: str, body: Callable[[Frame], None]) -> None:
    """Draw the frame around `body`; every page script is one call to this."""
    sockets.send_without_delay()  # once per process, at the server's first run
    present = st.query_params.get("present") == "1"
    lang = _language()
    st.set_page_config(
        page_title=f"{t(f'page_{page_key}', lang)} · {t('app_title', lang)}",
        layout="wide",
        initial_sidebar_state="collapsed" if present else "auto",
    )
    _page_language(lang, present)
    if present:
        st.query_params["present"] = "1"
    frame = Frame(lang=lang, database_url=cache.url(), role=access.PUBLIC, present=present)
    try:
        engine = cache.reader(frame.database_url).engine
        database.ping(engine)
        _ensure_loaded(frame)
        gate = auth.Gate(engine, lang)
        signed_in, allowed = _signed_in(frame, page_key, gate)
        if not present:
            _navigation(signed_in)
            if signed_in.user:
                gate.sign_out_button(signed_in.user)
        if not allowed:
            return
        if present:
            from mirps_dash import presentation

            country = st.query_params.get("country") if page_key == "country" else None
            presentation.show(signed_in, default_deck=country or "region")
        else:
            body(signed_in)
    except _database_errors() as error:
        log.exception("database unavailable while drawing %s", page_key)
        if database.is_busy(error):  # a lock or a statement past its timeout: the server is there
            st.error(t("db_busy", lang))
        else:
            st.error(t("db_unreachable", lang))
            st.caption(t("db_unreachable_admin", lang))


def stub(page_key: str) -> Callable[[Frame], None]:
    """The body of a page that is not built yet: its title and what it will answer."""

    def body(frame: Frame) -> None:
        st.title(t(f"page_{page_key}", frame.lang))
        st.info(f"**{t('coming_soon', frame.lang)}.** {t(f'stub_{page_key}', frame.lang)}")

    return body
