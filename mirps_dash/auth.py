"""Sign-in and sign-out in the browser: the only module that imports streamlit-authenticator.

The library draws the form, checks the bcrypt hash and sets its cookie; it authorises nothing and its
cookie outlives its logout. So this module never trusts the library's own session flags: a browser is
signed in only while `accounts.session_user` finds a live server-side session for its token, and the
library's cookie re-login is switched off (we restore from the cookie ourselves, through that check).
"""

from __future__ import annotations

from functools import cached_property

import jwt
import streamlit as st
import streamlit_authenticator as stauth
from sqlalchemy import Engine

from mirps_dash import accounts, markup, settings
from mirps_dash.i18n import t

COOKIE_NAME = "mirps_session"
SIGNED_IN_KEY = "auth_signed_in"  # our own session-state key: the token of a live server-side session
PENDING_KEY = "auth_pending"  # a password just checked: the next run sets the cookie and opens the session
SIGNED_OUT_KEY = "auth_signed_out"  # sign-out just pressed: the next run deletes the cookie


def _configured_key() -> str | None:
    try:
        return st.secrets.get("auth", {}).get("cookie_key")
    except Exception:  # no secrets file: Streamlit raises its own error type
        return None


def cookie_key() -> str:
    return settings.cookie_key(_configured_key())


def client() -> str:
    """The address signing in (`accounts.client_address`): the connection's, or behind the project's own
    nginx on loopback, the one nginx saw."""
    return accounts.client_address(st.context.ip_address, st.context.headers.get("X-Forwarded-For"))


class Gate:
    """Sign-in state for one script run. The library's object renders a cookie component when built, and
    may be built once a run, so it is made lazily and shared by the form, the cookie and the sign-out."""

    def __init__(self, engine: Engine, lang: str):
        self.engine = engine
        self.lang = lang

    @cached_property
    def _authenticator(self) -> stauth.Authenticate:
        """The library, for its cookie only: the password is checked by `accounts.sign_in`."""
        st.session_state["logout"] = True  # switches off the library's own cookie re-login
        return stauth.Authenticate(
            {"usernames": {}},
            COOKIE_NAME,
            cookie_key(),
            cookie_expiry_days=accounts.SESSION_HOURS / 24,
            auto_hash=False,
            login_sleep_time=0,
        )

    def current_user(self) -> accounts.User | None:
        """The signed-in account of this browser, checked against the server's record on every run."""
        if st.session_state.pop(SIGNED_OUT_KEY, False):
            st.session_state["authentication_status"] = True  # the library's logout refuses to run otherwise
            self._authenticator.logout(location="unrendered")  # deletes the cookie in the browser
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
        st.session_state["username"] = username
        cookies = self._authenticator.cookie_controller
        cookies.set_cookie()
        # The same token the library puts in the cookie: it signs the username and the expiry with our key.
        token = jwt.encode(
            {"username": username, "exp_date": cookies.cookie_model.exp_date}, cookie_key(), algorithm="HS256"
        )
        accounts.open_session(self.engine, username, token)
        st.session_state[SIGNED_IN_KEY] = token
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
