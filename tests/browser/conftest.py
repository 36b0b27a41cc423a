"""Fixtures for tests that drive Debian's Chromium through Playwright, with no request leaving the machine.

Every test in tests/browser/ is marked ``browser`` automatically.

Offers:
- ``ROOT``, ``SCREENSHOT_DIR`` (``<repo>/test-output/screenshots/``, git-ignored, created on import).
- ``chromium_path``: ``/usr/bin/chromium``; fails (does not skip) when it is missing.
- ``browser`` (session): headless Chromium.
- ``offline_context``: a factory ``offline_context(viewport=(1280, 900)) -> OfflineContext``. Requests to
  localhost/127.0.0.1/[::1], ``file:``, ``data:`` and ``blob:`` go through; every other request (and web socket)
  is aborted and its URL recorded in ``.blocked_requests``. Console errors (from the pages and their iframes)
  and uncaught page errors are collected in ``.console_errors`` / ``.page_errors``.
- ``vendored_assets`` (session): runs ``kupiansk_map.web.assets.install()`` once and returns the vendor folder.
- ``start_app``: a factory ``start_app(*, script=None, cwd=None, env=None, timeout=60.0) -> AppServer``. Without
  ``script`` it runs the project app (``python -m kupiansk_map serve --offline --headless --port N`` from the
  repo root); with one it runs ``streamlit run <script>`` with the app's settings (``serve.streamlit_command``).
  The server has ``.url``, ``.stop()`` and ``.rss_bytes()``; all are stopped at teardown.
- ``app_server`` (module): the project app, started once per test module (a running server does not reload
  helper modules, so each module gets a fresh one).
- ``map_frame(page, *, timeout=20_000, nth=0) -> Frame``: the streamlit-folium iframe, once Leaflet has drawn a
  ``path.leaflet-interactive`` in it.
- ``TIMELINE_IFRAME``, ``date_scale(page) -> Locator``: the date scale's iframe (app.timeline), and its slider.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import (
    Browser,
    BrowserContext,
    ConsoleMessage,
    Frame,
    Locator,
    Page,
    Route,
    WebSocketRoute,
    sync_playwright,
)
from playwright.sync_api import Error as PlaywrightError

from kupiansk_map.cli.serve import streamlit_command
from kupiansk_map.export.chromium import CHROMIUM_PATH, LAUNCH_ARGS

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOT_DIR = ROOT / "test-output" / "screenshots"
SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
CHROMIUM = CHROMIUM_PATH
CHROMIUM_ARGS = list(LAUNCH_ARGS)
LOCAL_HOSTS = frozenset({"localhost", "127.0.0.1", "::1"})
LOCAL_SCHEMES = frozenset({"file", "data", "blob", "about", "chrome-error"})
# streamlit-folium's component iframe: Streamlit titles it after the component ("streamlit_folium.st_folium")
# and its src is /component/streamlit_folium.st_folium/index.html?...
MAP_IFRAME = 'iframe[title*="streamlit_folium"], iframe[src*="streamlit_folium"]'
# The date scale (app.timeline's km_timeline component), titled after the component like the map's.
TIMELINE_IFRAME = 'iframe[title*="km_timeline"]'
HEALTH_PATH = "/_stcore/health"
_STOP_GRACE_S = 10.0


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    here = Path(__file__).resolve().parent
    for item in items:
        if Path(str(item.path)).resolve().is_relative_to(here):
            item.add_marker(pytest.mark.browser)


# ---------------------------------------------------------------------------------------------------------------
# browser


@pytest.fixture(scope="session")
def chromium_path() -> Path:
    if not (CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK)):
        pytest.fail(
            f"{CHROMIUM} is missing: the browser tests need Debian's Chromium; run `bash scripts/install --test`",
            pytrace=False,
        )
    return CHROMIUM


@pytest.fixture(scope="session")
def browser(chromium_path: Path) -> Iterator[Browser]:
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(chromium_path), headless=True, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


def is_local_url(url: str) -> bool:
    """True for URLs that stay on this machine: loopback hosts, file:, data:, blob:, about:."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme in LOCAL_SCHEMES:
        return True
    return scheme in ("http", "https", "ws", "wss") and (parts.hostname or "").lower() in LOCAL_HOSTS


@dataclass
class OfflineContext:
    """A browser context whose non-local requests are blocked and recorded, with the errors its pages report."""

    context: BrowserContext
    blocked_requests: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)

    def new_page(self) -> Page:
        return self.context.new_page()

    def problems(self) -> dict[str, list[str]]:
        """The blocked requests and errors seen so far (all empty for a clean page)."""
        return {
            "blocked_requests": list(self.blocked_requests),
            "console_errors": list(self.console_errors),
            "page_errors": list(self.page_errors),
        }

    def _watch(self, page: Page) -> None:
        def on_console(message: ConsoleMessage) -> None:
            if message.type == "error":
                where = message.location.get("url", "") if message.location else ""
                self.console_errors.append(f"{message.text} [{where}]" if where else message.text)

        page.on("console", on_console)
        page.on("pageerror", lambda error: self.page_errors.append(f"{error.name}: {error.message}"))


@pytest.fixture
def offline_context(browser: Browser) -> Iterator[Callable[..., OfflineContext]]:
    contexts: list[OfflineContext] = []

    def make(*, viewport: tuple[int, int] = (1280, 900)) -> OfflineContext:
        context = browser.new_context(viewport={"width": viewport[0], "height": viewport[1]}, service_workers="block")
        offline = OfflineContext(context)

        def handle(route: Route) -> None:
            url = route.request.url
            if is_local_url(url):
                route.continue_()
            else:
                offline.blocked_requests.append(url)
                route.abort("blockedbyclient")

        def handle_socket(ws: WebSocketRoute) -> None:
            offline.blocked_requests.append(ws.url)
            ws.close(code=1008, reason="blocked by the offline test context")

        context.route("**/*", handle)
        # Only foreign web sockets are intercepted; Streamlit's own (to localhost) stays untouched.
        context.route_web_socket(lambda url: not is_local_url(url), handle_socket)
        context.on("page", offline._watch)
        contexts.append(offline)
        return offline

    yield make
    for offline in contexts:
        with contextlib.suppress(Exception):  # the browser may already be gone at the end of the session
            offline.context.close()


# ---------------------------------------------------------------------------------------------------------------
# Streamlit servers


def _python() -> str:
    venv = ROOT / ".venv" / "bin" / "python"
    return str(venv) if venv.exists() else sys.executable


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _tail(path: Path, lines: int = 40) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return ""


def _descendants(pid: int) -> list[int]:
    """``pid`` and all its live descendant processes (from /proc)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        children.setdefault(ppid, []).append(int(entry.name))
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        todo.extend(children.get(current, []))
    return found


@dataclass
class AppServer:
    """A Streamlit server started by ``start_app``; stop it with ``stop()``."""

    url: str
    port: int
    process: subprocess.Popen[bytes]
    log_dir: Path
    command: list[str]

    @property
    def stderr_path(self) -> Path:
        return self.log_dir / "stderr.log"

    @property
    def stdout_path(self) -> Path:
        return self.log_dir / "stdout.log"

    def stderr_tail(self, lines: int = 40) -> str:
        return _tail(self.stderr_path, lines)

    def rss_bytes(self) -> int:
        """Resident memory of the server and any child processes (``kupiansk-map serve`` becomes streamlit itself)."""
        total = 0
        for pid in _descendants(self.process.pid):
            try:
                for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1]) * 1024
            except OSError:
                continue
        return total

    def stop(self) -> None:
        """SIGTERM the server's process group, SIGKILL it after 10 s; idempotent."""
        if self.process.poll() is None:
            self._signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=_STOP_GRACE_S)
            except subprocess.TimeoutExpired:
                self._signal(signal.SIGKILL)
                self.process.wait(timeout=_STOP_GRACE_S)
        # The group may still hold the streamlit child if only the wrapper exited.
        self._signal(signal.SIGTERM, quiet=True)

    def _signal(self, sig: int, *, quiet: bool = False) -> None:
        try:
            os.killpg(self.process.pid, sig)  # the group this fixture created (start_new_session=True)
        except ProcessLookupError:
            pass
        except PermissionError:
            if not quiet:
                raise


def _launch(
    *,
    script: Path | None = None,
    cwd: Path | None = None,
    env: Mapping[str, str] | None = None,
    timeout: float = 60.0,
    args: Sequence[str] = (),
) -> AppServer:
    port = free_port()
    if script is None:
        command = [_python(), "-m", "kupiansk_map", "serve", "--offline", "--headless", "--port", str(port), *args]
        workdir = cwd or ROOT
    else:
        script = Path(script).resolve()
        # The app's own serving settings, so that a test script runs the way the app does.
        command = [_python(), *streamlit_command(port=port, headless=True, script=script)[1:]]
        workdir = cwd or script.parent
    log_dir = Path(tempfile.mkdtemp(prefix="kupiansk-app-"))
    full_env = dict(os.environ)
    full_env.update(env or {})
    with open(log_dir / "stdout.log", "wb") as out, open(log_dir / "stderr.log", "wb") as err:
        process = subprocess.Popen(
            command, cwd=workdir, env=full_env, stdin=subprocess.DEVNULL, stdout=out, stderr=err, start_new_session=True
        )
    server = AppServer(url=f"http://127.0.0.1:{port}/", port=port, process=process, log_dir=log_dir, command=command)
    deadline = time.monotonic() + timeout
    while True:
        if process.poll() is not None:
            server.stop()
            raise RuntimeError(
                f"the Streamlit server exited with code {process.returncode} before it was "
                f"healthy: {' '.join(command)}\n--- stderr (tail) ---\n{server.stderr_tail()}"
            )
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}{HEALTH_PATH}", timeout=2) as response:
                if response.status == 200:
                    return server
        except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
            pass
        if time.monotonic() > deadline:
            server.stop()
            raise RuntimeError(
                f"the Streamlit server was not healthy after {timeout:g} s: {' '.join(command)}"
                f"\n--- stderr (tail) ---\n{server.stderr_tail()}"
            )
        time.sleep(0.1)


@pytest.fixture
def start_app() -> Iterator[Callable[..., AppServer]]:
    servers: list[AppServer] = []

    def start(
        *,
        script: Path | None = None,
        cwd: Path | None = None,
        env: Mapping[str, str] | None = None,
        timeout: float = 60.0,
        args: Sequence[str] = (),
    ) -> AppServer:
        """``args`` are more options for ``kupiansk-map serve`` (``--store PATH``)."""
        server = _launch(script=script, cwd=cwd, env=env, timeout=timeout, args=args)
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.stop()


@pytest.fixture(scope="module")
def app_server(vendored_assets: Path) -> Iterator[AppServer]:
    server = _launch()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def vendored_assets() -> Path:
    from kupiansk_map.web.assets import VENDOR_DIR, AssetError, install

    try:
        install()
    except AssetError as exc:
        pytest.fail(f"the offline assets could not be installed: {exc}", pytrace=False)
    return VENDOR_DIR


# ---------------------------------------------------------------------------------------------------------------
# pages


def map_frame(page: Page, *, timeout: float = 20_000, nth: int = 0) -> Frame:
    """The ``nth`` streamlit-folium iframe's Frame, once Leaflet has drawn a ``path.leaflet-interactive`` in it.

    ``timeout`` is in milliseconds, for each of the two waits. When the page swaps one map for another (presenter
    mode on or off), the iframe found first can be detached before it draws: it is looked up again until the
    timeout, and only then is that an error.
    """
    iframe = page.locator(MAP_IFRAME).nth(nth)
    deadline = time.monotonic() + 2 * timeout / 1000
    while True:
        iframe.wait_for(state="attached", timeout=timeout)
        handle = iframe.element_handle(timeout=timeout)
        frame = handle.content_frame() if handle else None
        try:
            if frame is None:
                raise AssertionError("the streamlit-folium iframe has no content frame")
            frame.wait_for_selector("path.leaflet-interactive", state="attached", timeout=timeout)
            return frame
        except (AssertionError, PlaywrightError):
            if (frame is not None and not frame.is_detached()) or time.monotonic() > deadline:
                raise  # the frame stayed and never drew: a real failure
            page.wait_for_timeout(100)  # swapped for a new map: find the new iframe


def date_scale(page: Page) -> Locator:
    """The date scale's slider (role ``slider``, keys of the ARIA slider pattern), inside its iframe."""
    return page.frame_locator(TIMELINE_IFRAME).get_by_role("slider")


def date_field(page: Page) -> Locator:
    """The date input as shown. (It takes a new widget key when another control changes the date, and for a frame
    or two Streamlit keeps the replaced one in the page, stale and hidden.)"""
    return page.locator("[data-testid=stDateInput]:visible")


def zoom_in_and_settle(page: Page, frame: Frame) -> tuple[int, Any]:
    """Zoom the map in one level with its + button and wait until the page has taken the map's report of the new
    view (its URL holds the zoom); returns the zoom and centre, as the page will keep them."""
    start = frame.evaluate("window.map.getZoom()")
    frame.locator(".leaflet-control-zoom-in").click()
    # Wait for the zoom itself, not only for no animation (the click may not have started one yet).
    frame.wait_for_function(f"window.map.getZoom() === {start + 1} && !window.map._animatingZoom")
    zoom, center = frame.evaluate("[window.map.getZoom(), window.map.getCenter()]")
    page.wait_for_function(f"location.href.includes('zoom={zoom}')", timeout=15_000)
    return zoom, center
