import os
import pty
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path

import pytest
from browser.conftest import free_port

from kupiansk_map.cli.serve import APP_PATH, streamlit_command
from kupiansk_map.validate.checks import MAX_FILE_BYTES


def test_streamlit_command_keeps_privacy_and_xsrf_settings():
    argv = streamlit_command(port=8600, headless=True)
    assert argv[1:4] == ["-m", "streamlit", "run"] and argv[4] == str(APP_PATH)
    pairs = dict(zip(argv[5::2], argv[6::2], strict=True))
    assert pairs["--server.port"] == "8600"
    assert pairs["--browser.gatherUsageStats"] == "false"
    assert pairs["--server.showEmailPrompt"] == "false"
    assert pairs["--server.enableXsrfProtection"] == "true"
    assert pairs["--server.enableStaticServing"] == "true"
    assert int(pairs["--server.maxUploadSize"]) * 1024 * 1024 == MAX_FILE_BYTES
    assert pairs["--server.fileWatcherType"] == "none"
    assert pairs["--runner.postScriptGC"] == "false"


def test_streamlit_command_runs_another_script_with_the_same_settings(tmp_path):
    script = tmp_path / "floor.py"
    argv = streamlit_command(port=8600, headless=True, script=script)
    assert argv[4] == str(script)
    assert argv[5:] == streamlit_command(port=8600, headless=True)[5:]


def test_bad_port_is_refused():
    with pytest.raises(ValueError, match="port"):
        streamlit_command(port=70000)


def test_project_config_matches_the_command():
    import tomllib

    from conftest import ROOT

    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["browser"]["gatherUsageStats"] is False
    assert config["server"]["showEmailPrompt"] is False
    assert config["server"]["enableXsrfProtection"] is True
    assert config["server"]["maxUploadSize"] * 1024 * 1024 == MAX_FILE_BYTES
    assert config["server"]["fileWatcherType"] == "none"
    assert config["runner"]["postScriptGC"] is False


# ---------------------------------------------------------------------------------------------------------------
# `kupiansk-map serve` as a new user runs it: a real process, a HOME Streamlit has never seen.

OPENER = """#!/bin/sh
# Stands in for xdg-open so that a test run never opens a real browser; records what Streamlit asked to open.
echo "$1" >> "$KUPIANSK_TEST_OPENED"
"""
_START_TIMEOUT_S = 90.0  # the first start on a cold, shared 2-core machine imports the whole geospatial stack
_STOP_TIMEOUT_S = 15.0


def _serve_argv(port: int) -> list[str]:
    """The README's command: the installed ``kupiansk-map`` script next to this Python (``-m`` otherwise)."""
    script = Path(sys.executable).with_name("kupiansk-map")
    head = [str(script)] if script.exists() else [sys.executable, "-m", "kupiansk_map"]
    return [*head, "serve", "--port", str(port)]


def _fresh_env(tmp_path: Path) -> dict[str, str]:
    """The current environment with an empty HOME (no ~/.streamlit/credentials.toml) and the recording opener."""
    home = tmp_path / "home"
    home.mkdir()
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    opener = bin_dir / "xdg-open"
    opener.write_text(OPENER, encoding="utf-8")
    opener.chmod(0o755)
    env = dict(os.environ)
    env.update(
        HOME=str(home),
        PATH=f"{bin_dir}{os.pathsep}{env.get('PATH', '')}",
        KUPIANSK_TEST_OPENED=str(tmp_path / "opened.txt"),
    )
    return env


def _healthy(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2) as response:
            return response.status == 200
    except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
        return False


def _listening(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.settimeout(1)
        return sock.connect_ex(("127.0.0.1", port)) == 0


def _streamlit_pids(port: int) -> list[int]:
    """Live streamlit processes serving ``port``, whoever their parent is now (an orphan is re-parented)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            args = (entry / "cmdline").read_bytes().split(b"\0")
            state = (entry / "stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if (
            state != "Z"
            and b"streamlit" in args
            and b"--server.port" in args
            and args[args.index(b"--server.port") + 1] == str(port).encode()
        ):
            found.append(int(entry.name))
    return found


def _wait_until(
    condition: Callable[[], bool], *, timeout: float, what: str, failure: Callable[[], str | None] = lambda: None
) -> None:
    """Poll ``condition``; fail at once when ``failure()`` names a problem, or saying ``what`` after ``timeout``."""
    deadline = time.monotonic() + timeout
    while not condition():
        problem = failure()
        if problem:
            pytest.fail(problem)
        if time.monotonic() > deadline:
            pytest.fail(f"{what} (waited {timeout:g} s)")
        time.sleep(0.2)


def _start_failure(process: subprocess.Popen[bytes], output: Callable[[], str]) -> Callable[[], str | None]:
    def failure() -> str | None:
        text = output()
        if "Email:" in text:
            return f"serve stopped at Streamlit's email prompt instead of serving:\n{text[-1500:]}"
        if process.poll() is not None:
            return f"serve exited with status {process.returncode} before it served:\n{text[-1500:]}"
        return None

    return failure


def _stop(process: subprocess.Popen[bytes], port: int) -> None:
    """End what a test started, by pid: the serve process, then any streamlit it left on the port."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=_STOP_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    for pid in _streamlit_pids(port):
        os.kill(pid, signal.SIGKILL)


def _assert_serves_and_prints_the_url(
    process: subprocess.Popen[bytes], port: int, output: Callable[[], str], opened: Path
) -> None:
    failure = _start_failure(process, output)
    _wait_until(
        lambda: _healthy(port), timeout=_START_TIMEOUT_S, what="the health endpoint did not answer", failure=failure
    )
    url = f"http://localhost:{port}"
    _wait_until(lambda: url in output(), timeout=10, what=f"{url} was not printed", failure=failure)
    # Not headless: a desktop user still gets a browser tab, opened on the same URL.
    _wait_until(
        lambda: opened.is_file() and url in opened.read_text(encoding="utf-8"),
        timeout=10,
        what=f"the browser was not asked to open {url}",
        failure=failure,
    )


def test_first_run_serves_at_once_with_no_terminal(tmp_path):
    port = free_port()
    env = _fresh_env(tmp_path)
    log = tmp_path / "serve.log"
    with open(log, "wb") as out:
        process = subprocess.Popen(
            _serve_argv(port), env=env, stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT
        )
    try:
        _assert_serves_and_prints_the_url(
            process, port, lambda: log.read_text(errors="replace"), Path(env["KUPIANSK_TEST_OPENED"])
        )
    finally:
        _stop(process, port)


def test_first_run_serves_at_once_in_a_terminal(tmp_path):
    port = free_port()
    env = _fresh_env(tmp_path)
    controller, terminal = pty.openpty()
    chunks: list[bytes] = []

    def read() -> None:
        while True:
            try:
                data = os.read(controller, 4096)
            except OSError:  # EIO once the last process holding the terminal has exited
                return
            if not data:
                return
            chunks.append(data)

    try:
        process = subprocess.Popen(_serve_argv(port), env=env, stdin=terminal, stdout=terminal, stderr=terminal)
    finally:
        os.close(terminal)
    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    try:
        _assert_serves_and_prints_the_url(
            process, port, lambda: b"".join(chunks).decode(errors="replace"), Path(env["KUPIANSK_TEST_OPENED"])
        )
    finally:
        _stop(process, port)
        os.close(controller)
        reader.join(timeout=5)


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_stopping_serve_stops_the_server(tmp_path, sig):
    port = free_port()
    env = _fresh_env(tmp_path)
    log = tmp_path / "serve.log"
    with open(log, "wb") as out:
        # Same process group as the test on purpose: only the serve pid gets the signal, as from a supervisor.
        process = subprocess.Popen(
            _serve_argv(port), env=env, stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT
        )
    try:
        failure = _start_failure(process, lambda: log.read_text(errors="replace"))
        _wait_until(
            lambda: _healthy(port), timeout=_START_TIMEOUT_S, what="the health endpoint did not answer", failure=failure
        )
        assert _streamlit_pids(port), "no streamlit process found serving the port"
        os.kill(process.pid, sig)
        _wait_until(
            lambda: not _listening(port),
            timeout=_STOP_TIMEOUT_S,
            what=f"port {port} was still listening after {sig.name} to the serve process",
        )
        _wait_until(
            lambda: not _streamlit_pids(port),
            timeout=_STOP_TIMEOUT_S,
            what=f"a streamlit process serving port {port} was left after {sig.name}",
        )
        process.wait(timeout=_STOP_TIMEOUT_S)
    finally:
        _stop(process, port)
