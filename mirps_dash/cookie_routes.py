"""The sign-in cookie, set and cleared by the server as an HttpOnly cookie: routes of `st.App` (app.py).

A cookie set from the page's JavaScript (what streamlit-authenticator does) can be read by any script on the
page, so it cannot be HttpOnly. Here the server sets it: once the sign-in form has checked the password
(`auth.Gate.sign_in_form`), the page draws an invisible image whose address is `/auth/cookie?ticket=…`, a
one-time ticket good for a minute (`accounts.issue_ticket`). This route trades it for a session of its own
and answers with `Set-Cookie: mirps_session=…; HttpOnly; SameSite=Strict; Path=/`, and `Secure` when the
browser came over HTTPS (directly, or through the project's own nginx on loopback, which says so in
X-Forwarded-Proto). `/auth/sign-out` ends the cookie's session and clears the cookie the same way. Both
answer only requests the browser marks as coming from this site (Sec-Fetch-Site). Streamlit reads the
cookie from the websocket's request (`st.context.cookies`), where no script sees it.
"""

from __future__ import annotations

import functools
import ipaddress

from sqlalchemy import Engine
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from mirps_dash import accounts, database, settings

COOKIE_NAME = "mirps_session"
COOKIE_PATH = "/auth/cookie"
SIGN_OUT_PATH = "/auth/sign-out"
# A transparent 1x1 GIF: the answer the invisible image expects.
PIXEL = bytes.fromhex("47494638396101000100800000000000ffffff21f90401000000002c00000000010001000002024401003b")


@functools.cache
def _engine() -> Engine:
    return database.make_engine(settings.database_url())


def _loopback(host: str | None) -> bool:
    try:
        return host is not None and ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def over_https(scheme: str, peer: str | None, forwarded_proto: str | None) -> bool:
    """Whether the browser reached us over HTTPS: the request's own scheme, or X-Forwarded-Proto when the
    connection comes from loopback (the project's nginx, deploy/); anyone else's header is ignored."""
    if scheme == "https":
        return True
    return _loopback(peer) and (forwarded_proto or "").split(",")[0].strip().lower() == "https"


def cookie_header(token: str, *, secure: bool, max_age: int) -> str:
    """The Set-Cookie value: HttpOnly (no script reads it), SameSite=Strict (no other site's page or link
    sends it), the whole site, `max_age` seconds (0 clears it), Secure over HTTPS."""
    parts = [f"{COOKIE_NAME}={token}", "HttpOnly", "SameSite=Strict", "Path=/", f"Max-Age={max_age}"]
    return "; ".join(parts + (["Secure"] if secure else []))


def _from_this_site(request: Request) -> bool:
    """Browsers say where a request comes from; a page of another site must not set or clear our cookie.
    A request without the header (not from a browser that sends it) is taken as it comes."""
    return request.headers.get("sec-fetch-site", "same-origin") in ("same-origin", "none")


def _answer(request: Request, token: str, max_age: int) -> Response:
    secure = over_https(
        request.url.scheme, request.client.host if request.client else None, request.headers.get("x-forwarded-proto")
    )
    headers = {"Set-Cookie": cookie_header(token, secure=secure, max_age=max_age), "Cache-Control": "no-store"}
    return Response(PIXEL, media_type="image/gif", headers=headers)


def set_cookie(request: Request) -> Response:  # a plain function: Starlette runs it off the event loop
    if not _from_this_site(request):
        return Response(status_code=403)
    token = accounts.redeem_ticket(_engine(), request.query_params.get("ticket"))
    if token is None:
        return Response(status_code=403, headers={"Cache-Control": "no-store"})
    return _answer(request, token, int(accounts.SESSION_HOURS * 3600))


def sign_out(request: Request) -> Response:
    if not _from_this_site(request):
        return Response(status_code=403)
    token = request.cookies.get(COOKIE_NAME)
    if token:
        user = accounts.session_user(_engine(), token)
        accounts.close_session(_engine(), token, user.username if user else "?")
    return _answer(request, "", 0)


ROUTES = [Route(COOKIE_PATH, set_cookie, methods=["GET"]), Route(SIGN_OUT_PATH, sign_out, methods=["GET"])]
