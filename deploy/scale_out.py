"""Start N Streamlit replicas of the dashboard on one PostgreSQL database behind nginx, and stop them cleanly.

    MIRPS_DATABASE_URL=postgresql+psycopg://... MIRPS_COOKIE_KEY=... python deploy/scale_out.py --replicas 2

Everything a browser session needs lives in PostgreSQL (figures, accounts, sign-in sessions), so any replica
serves a signed-in browser as long as all replicas share the cookie key; nginx keeps each browser on one
replica because a Streamlit session (its websocket and uploaded files) lives in that replica's memory.
The rendered nginx config, pid file and logs go to a temporary directory, nowhere else. The scale-out
test uses `ScaleOut` as a context manager.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE = Path(__file__).resolve().parent / "nginx.conf.template"
MIN_COOKIE_KEY_BYTES = 32  # as mirps_dash.settings; not imported, so the launcher runs without the app's deps
START_TIMEOUT_S = 120.0  # a cold replica imports polars, Altair and SQLAlchemy; slow machines take a while


class LaunchError(RuntimeError):
    """A replica or nginx did not start; the message ends with the tail of its log."""


def free_port(address: str = "127.0.0.1") -> int:
    with socket.socket() as s:
        s.bind((address, 0))
        return s.getsockname()[1]


def find_nginx() -> str | None:
    """Debian installs nginx in /usr/sbin, which is not on every user's PATH."""
    return shutil.which("nginx") or next((p for p in ("/usr/sbin/nginx",) if os.access(p, os.X_OK)), None)


def streamlit_cookie_secret(cookie_key: str) -> str:
    """Streamlit signs its XSRF cookie with `server.cookieSecret`, random per process by default; a shared
    one lets an upload started on one replica finish on another after a failover. Derived from the
    sign-in key rather than equal to it, so the two uses never share a key."""
    return hashlib.sha256(b"mirps-streamlit-cookie-secret\0" + cookie_key.encode()).hexdigest()


def render_config(listen: str, upstreams: list[str], template: Path = TEMPLATE, tls: Tls | None = None) -> str:
    """The nginx config for `listen` (host:port) in front of `upstreams` (host:port each); with `tls`,
    HTTPS and HTTP/2 on that address, and the route cookie marked Secure."""
    servers = "\n".join(f"        server {upstream} max_fails=1 fail_timeout=5s;" for upstream in upstreams)
    if tls is None:
        directives = [f"listen {listen};"]
    else:
        directives = [
            f"listen {listen} ssl http2;",  # Debian 12's nginx 1.22; from 1.25.1 `http2 on;` says the same
            f"ssl_certificate {tls.certificate};",
            f"ssl_certificate_key {tls.key};",
            "ssl_protocols TLSv1.2 TLSv1.3;",
            "ssl_session_cache shared:mirps_tls:10m;",  # a returning browser skips the full handshake
            "ssl_session_timeout 1d;",
        ]
    text = template.read_text(encoding="utf-8")
    return (
        text.replace("{{LISTEN}}", "\n".join(f"        {line}" for line in directives))
        .replace("{{SERVERS}}", servers)
        .replace("{{COOKIE_SECURE}}", "; Secure" if tls else "")
    )


@dataclass(frozen=True)
class Tls:
    """A certificate (with its chain) and its private key, PEM files nginx reads at start."""

    certificate: Path
    key: Path

    def check(self) -> None:
        for path in (self.certificate, self.key):
            if not Path(path).is_file():
                raise LaunchError(f"TLS file not found: {path}")


def self_signed(folder: Path, address: str = "127.0.0.1") -> Tls:
    """A certificate for `address`, valid a day, made with openssl: for tests and trials on loopback.
    Browsers warn about it; a real host uses a certificate from a certificate authority."""
    tls = Tls(folder / "cert.pem", folder / "key.pem")
    request = ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", f"/CN={address}"]
    names = ["-addext", f"subjectAltName=IP:{address}"]
    subprocess.run(
        [*request, *names, "-keyout", str(tls.key), "-out", str(tls.certificate)], check=True, capture_output=True
    )
    return tls


def prepare_prefix(workdir: Path) -> None:
    """The directories nginx writes to under its prefix (`-p`), reachable by its workers."""
    (workdir / "logs").mkdir(parents=True, exist_ok=True)
    (workdir / "tmp").mkdir(exist_ok=True)
    if os.geteuid() == 0:
        # nginx workers drop to an unprivileged user and must reach tmp/ (request bodies, buffers).
        for path in (workdir, workdir / "tmp"):
            path.chmod(0o755)


def nginx_command(nginx: str, workdir: Path, config: str) -> list[str]:
    """Write `config` into `workdir` (a prepared prefix) and return the command that runs nginx on it in the
    foreground, once nginx has accepted the config."""
    path = workdir / "nginx.conf"
    path.write_text(config, encoding="utf-8")
    command = [nginx, "-p", f"{workdir}/", "-c", str(path), "-e", str(workdir / "logs" / "error.log")]
    checked = subprocess.run([*command, "-t", "-q"], capture_output=True, text=True, check=False)
    if checked.returncode != 0:
        raise LaunchError(f"nginx rejected its config:\n{checked.stderr}")
    return command


def _tail(path: Path, chars: int = 3000) -> str:
    try:
        return path.read_text(encoding="utf-8", errors="replace")[-chars:]
    except OSError:
        return ""


def first_run(url: str, page: str = "", query: str = "lang=es", timeout: float = START_TIMEOUT_S) -> int:
    """Open a session at `url` and ask for `page` as a browser's frontend does once loaded (`rerun_script`),
    until its run has finished; returns the messages the run sent. A server's first run imports the
    dashboard's libraries and checks the database (2 s of a first visit here, against 0.5 s for the next),
    so the launcher makes it on every replica before it reports ready, not the first participant."""
    from streamlit.proto.BackMsg_pb2 import BackMsg
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
    from websockets.sync.client import connect

    request = BackMsg()
    request.rerun_script.page_name = page
    request.rerun_script.query_string = query
    socket_url = url.replace("http", "ws", 1) + "/_stcore/stream"
    with connect(socket_url, subprotocols=["streamlit"], origin=url, max_size=64 << 20, open_timeout=timeout) as socket:
        socket.send(request.SerializeToString())
        messages = 0
        while True:
            message = ForwardMsg()
            message.ParseFromString(socket.recv(timeout=timeout))
            messages += 1
            if message.WhichOneof("type") == "script_finished":
                return messages


def healthy(url: str) -> bool:
    # Our own nginx, reached on the address it was started on: its certificate may name the public host
    # (or be self-signed for a trial), so it is not checked here; browsers check it.
    context = ssl._create_unverified_context() if url.startswith("https:") else None  # noqa: S323
    try:
        with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2, context=context) as response:  # noqa: S310
            return response.status == 200
    except OSError:
        return False


@dataclass
class ScaleOut:
    """N replicas and nginx on `address`; ports 0 pick free ones. Use as a context manager, or start/stop."""

    database_url: str
    cookie_key: str = field(repr=False)
    replicas: int = 2
    port: int = 0
    address: str = "127.0.0.1"
    nginx: str | None = None
    workdir: Path | None = None
    extra_env: dict[str, str] = field(default_factory=dict)
    tls: Tls | None = None
    url: str = field(init=False, default="")
    replica_urls: list[str] = field(init=False, default_factory=list)
    first_runs: list[int] = field(init=False, default_factory=list)  # messages of each replica's first run
    _processes: list[tuple[str, subprocess.Popen, Path]] = field(init=False, default_factory=list)
    _own_workdir: bool = field(init=False, default=False)
    _final_logs: str = field(init=False, default="", repr=False)

    def __post_init__(self) -> None:
        if not self.database_url.startswith("postgresql"):
            raise LaunchError("replicas must share one PostgreSQL database (MIRPS_DATABASE_URL=postgresql+...)")
        if len(self.cookie_key.encode()) < MIN_COOKIE_KEY_BYTES:
            raise LaunchError(f"MIRPS_COOKIE_KEY must hold at least {MIN_COOKIE_KEY_BYTES} random bytes")
        if self.replicas < 1:
            raise LaunchError("at least one replica")
        if self.tls:
            self.tls.check()
        self.nginx = self.nginx or find_nginx()
        if not self.nginx:
            raise LaunchError("nginx is not installed (apt-get install nginx)")

    def __enter__(self) -> ScaleOut:
        try:
            self.start()
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(self, *exc) -> None:
        self.stop()

    def _env(self) -> dict[str, str]:
        return {
            **os.environ,
            **self.extra_env,
            "MIRPS_DATABASE_URL": self.database_url,
            "MIRPS_COOKIE_KEY": self.cookie_key,
            "STREAMLIT_SERVER_COOKIE_SECRET": streamlit_cookie_secret(self.cookie_key),
            "PYTHONDONTWRITEBYTECODE": "1",  # no local writes, not even bytecode caches
        }

    def start(self) -> None:
        if self.workdir is None:
            self.workdir = Path(tempfile.mkdtemp(prefix="mirps-scale-"))
            self._own_workdir = True
        workdir = self.workdir
        prepare_prefix(workdir)
        env = self._env()
        # One first load before any replica starts: replicas would otherwise race to load an empty database.
        init_log = workdir / "logs" / "init.log"
        with init_log.open("wb") as log:
            done = subprocess.run(
                [sys.executable, "-m", "mirps_dash", "--database-url", self.database_url, "init"],
                cwd=ROOT,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                check=False,
            )
        if done.returncode != 0:
            raise LaunchError(f"database init failed:\n{_tail(init_log)}")
        ports = [free_port(self.address) for _ in range(self.replicas)]
        for index, port in enumerate(ports):
            self._spawn(f"replica-{index}", self._streamlit_command(port), env)
        self.replica_urls = [f"http://{self.address}:{port}" for port in ports]
        for index, url in enumerate(self.replica_urls):
            self._wait(f"replica-{index}", url)
        self.first_runs = [first_run(url) for url in self.replica_urls]
        port = self.port or free_port(self.address)
        config = render_config(f"{self.address}:{port}", [f"{self.address}:{p}" for p in ports], tls=self.tls)
        self._spawn("nginx", nginx_command(self.nginx, workdir, config), env)
        self.url = f"{'https' if self.tls else 'http'}://{self.address}:{port}"
        self._wait("nginx", self.url)

    def _streamlit_command(self, port: int) -> list[str]:
        return [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            "app.py",
            "--server.port",
            str(port),
            "--server.address",
            self.address,
            "--server.headless",
            "true",
            "--server.fileWatcherType",
            "none",
            "--server.runOnSave",
            "false",
            "--browser.gatherUsageStats",
            "false",
        ]

    def _spawn(self, name: str, command: list[str], env: dict[str, str]) -> None:
        log_path = self.workdir / "logs" / f"{name}.log"
        with log_path.open("wb") as log:
            # A session of its own: Ctrl-C reaches the launcher only, which stops nginx first, then replicas.
            process = subprocess.Popen(
                command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
            )
        self._processes.append((name, process, log_path))

    def _wait(self, name: str, url: str) -> None:
        process, log_path = next((p, log) for n, p, log in self._processes if n == name)
        deadline = time.monotonic() + START_TIMEOUT_S
        while time.monotonic() < deadline:
            if process.poll() is not None:
                raise LaunchError(f"{name} exited with code {process.returncode}:\n{_tail(log_path)}")
            if healthy(url):
                return
            time.sleep(0.5)
        raise LaunchError(f"{name} did not answer at {url} within {START_TIMEOUT_S:.0f}s:\n{_tail(log_path)}")

    def replica_pids(self) -> list[int]:
        return [process.pid for name, process, _log in self._processes if name.startswith("replica-")]

    def logs(self) -> str:
        """The tail of every log, for a failing test or a person wondering why (kept after `stop`)."""
        if self.workdir is None:
            return self._final_logs
        paths = sorted((self.workdir / "logs").glob("*.log"))
        return "\n".join(f"== {path.name} ==\n{_tail(path)}" for path in paths)

    def dead(self) -> list[str]:
        return [name for name, process, _ in self._processes if process.poll() is not None]

    def stop(self) -> None:
        """nginx first (graceful: open requests finish, no new ones), then the replicas; kill what lingers."""
        for name, process, _ in reversed(self._processes):
            if process.poll() is None:
                process.send_signal(signal.SIGQUIT if name == "nginx" else signal.SIGTERM)
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=5)
        self._processes.clear()
        if self._own_workdir and self.workdir is not None:
            self._final_logs = self.logs()
            shutil.rmtree(self.workdir, ignore_errors=True)
            self.workdir = None
            self._own_workdir = False


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--replicas", type=int, default=2)
    parser.add_argument("--port", type=int, default=8080, help="where nginx listens (0: a free port)")
    parser.add_argument("--address", default="127.0.0.1", help="address of nginx and the replicas")
    parser.add_argument("--database-url", default=os.environ.get("MIRPS_DATABASE_URL", ""))
    parser.add_argument("--nginx", default=None, help="the nginx binary (default: from PATH or /usr/sbin)")
    parser.add_argument("--workdir", default=None, help="for the config, pid and logs (default: a temp dir)")
    parser.add_argument("--tls-cert", type=Path, help="PEM certificate (with its chain): serve HTTPS and HTTP/2")
    parser.add_argument("--tls-key", type=Path, help="the certificate's PEM private key")
    args = parser.parse_args(argv)
    if bool(args.tls_cert) != bool(args.tls_key):
        parser.error("--tls-cert and --tls-key go together")
    key = os.environ.get("MIRPS_COOKIE_KEY", "")  # never on the command line, where `ps` would show it
    stopping = False

    def request_stop(_signum, _frame) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, request_stop)
    signal.signal(signal.SIGTERM, request_stop)
    try:
        deployment = ScaleOut(
            args.database_url,
            key,
            replicas=args.replicas,
            port=args.port,
            address=args.address,
            nginx=args.nginx,
            workdir=Path(args.workdir) if args.workdir else None,
            tls=Tls(args.tls_cert.resolve(), args.tls_key.resolve()) if args.tls_cert else None,
        )
    except LaunchError as error:
        print(error, file=sys.stderr)
        return 2
    try:
        deployment.start()
        print(f"dashboard: {deployment.url}", flush=True)
        for url in deployment.replica_urls:
            print(f"  replica: {url}", flush=True)
        print(f"config and logs: {deployment.workdir} (Ctrl-C stops everything)", flush=True)
        while not stopping:
            if dead := deployment.dead():
                print(f"stopped unexpectedly: {', '.join(dead)}\n{deployment.logs()}", file=sys.stderr)
                return 1
            time.sleep(1)
        return 0
    except LaunchError as error:
        print(error, file=sys.stderr)
        return 1
    finally:
        deployment.stop()


if __name__ == "__main__":
    sys.exit(main())
