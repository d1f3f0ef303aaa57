"""Sign-in and sign-out in the browser: the form, the page's session and the HttpOnly cookie.

A browser is signed in only while `accounts.session_user` finds a live server-side session for its token:
the token this page's session holds, else the one in its `mirps_session` cookie. The server sets that
cookie itself (`cookie_routes`, routes of `st.App` in app.py), HttpOnly and SameSite=Strict, Secure over
HTTPS: after a right password the page draws an invisible image of the cookie route with a one-time
ticket, and after a sign-out one of the sign-out route, which clears it. No script on the page ever holds
the token. (streamlit-authenticator set this cookie from JavaScript, so it could not be HttpOnly.)
"""

from __future__ import annotations

import html
import secrets
from urllib.parse import quote

import streamlit as st
from sqlalchemy import Engine

from mirps_dash import accounts, cookie_routes, markup, settings
from mirps_dash.i18n import t

COOKIE_NAME = cookie_routes.COOKIE_NAME
SIGNED_IN_KEY = "auth_signed_in"  # our own session-state key: the token of a live server-side session
PENDING_KEY = "auth_pending"  # a password just checked: the next run opens the session and sets the cookie
SIGNED_OUT_KEY = "auth_signed_out"  # sign-out just pressed: the next run clears the cookie


def _configured_key() -> str | None:
    try:
        return st.secrets.get("auth", {}).get("cookie_key")
    except Exception:  # no secrets file: Streamlit raises its own error type
        return None


def cookie_key() -> str:
    """The deployment's secret key: still required (32+ bytes), as Streamlit's own cookie secret is made
    from it (deploy/scale_out.py)."""
    return settings.cookie_key(_configured_key())


def client() -> str:
    """The address signing in (`accounts.client_address`): the connection's, or behind the project's own
    nginx on loopback, the one nginx saw."""
    forwarded = ", ".join(st.context.headers.get_all("X-Forwarded-For"))  # nginx's own entry comes last
    return accounts.client_address(st.context.ip_address, forwarded)


def _call_route(path: str, **query: str) -> None:
    """Have the browser request one of our cookie routes, as an invisible image of this site."""
    base = (st.get_option("server.baseUrlPath") or "").strip("/")
    address = f"/{base}{path}" if base else path
    if query:
        address += "?" + "&".join(f"{name}={quote(value, safe='')}" for name, value in query.items())
    st.html(f'<img src="{html.escape(address)}" alt="" width="1" height="1" style="position:absolute;opacity:0">')


class Gate:
    """Sign-in state for one script run."""

    def __init__(self, engine: Engine, lang: str):
        self.engine = engine
        self.lang = lang

    def current_user(self) -> accounts.User | None:
        """The signed-in account of this browser, checked against the server's record on every run."""
        if st.session_state.pop(SIGNED_OUT_KEY, False):
            _call_route(cookie_routes.SIGN_OUT_PATH)  # ends the cookie's session too, and clears it
            return None
        if st.session_state.get(PENDING_KEY):
            return self._open_session(st.session_state.pop(PENDING_KEY))
        token = st.session_state.get(SIGNED_IN_KEY) or st.context.cookies.get(COOKIE_NAME)
        if not isinstance(token, str) or not token:
            return None
        user = accounts.session_user(self.engine, token)
        if user is None:
            st.session_state.pop(SIGNED_IN_KEY, None)
            return None
        st.session_state[SIGNED_IN_KEY] = token
        return user

    def _open_session(self, username: str) -> accounts.User | None:
        """This page's session, and a ticket the browser trades for its cookie's own session."""
        token = secrets.token_urlsafe(32)
        accounts.open_session(self.engine, username, token)
        st.session_state[SIGNED_IN_KEY] = token
        _call_route(cookie_routes.COOKIE_PATH, ticket=accounts.issue_ticket(self.engine, username))
        return accounts.session_user(self.engine, token)

    def sign_in_form(self) -> None:
        """Draw the sign-in form. A right password reruns the page signed in; any refusal (an unknown name,
        a wrong password, a locked account, a client held back) gets the same words."""
        lang = self.lang
        with st.form("auth_login"):
            st.subheader(t("auth_title", lang))
            username = st.text_input(t("auth_username", lang), max_chars=80, autocomplete="username")
            password = st.text_input(
                t("auth_password", lang), type="password", max_chars=200, autocomplete="current-password"
            )
            submitted = st.form_submit_button(t("auth_submit", lang))
        if not submitted:
            return
        user = accounts.sign_in(self.engine, username, password, client())
        if user is None:
            st.error(t("auth_refused", lang, minutes=accounts.LOCK_MINUTES))
            return
        st.session_state[PENDING_KEY] = user.username
        st.rerun()

    def sign_out_button(self, user: accounts.User) -> None:
        """Who is signed in, and a sign-out that revokes the session on the server before anything else."""
        lang = self.lang
        role = t(f"userrole_{user.role}", lang)
        st.sidebar.caption(markup.plain(t("auth_signed_in_as", lang, name=user.display_name, role=role)))
        if st.sidebar.button(t("auth_sign_out", lang), key="auth_sign_out"):
            accounts.close_session(self.engine, st.session_state.pop(SIGNED_IN_KEY, None), user.username)
            st.session_state[SIGNED_OUT_KEY] = True
            st.rerun()
