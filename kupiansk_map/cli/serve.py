"""Starting the Streamlit app with the project's settings.

Offers:
- ``APP_PATH``: the Streamlit script.
- ``streamlit_command``: the argv that runs the app (pure; tested without starting a server).
- ``serve``: replace the calling process with the Streamlit server (never returns).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import NoReturn

from kupiansk_map import paths
from kupiansk_map.validate.checks import MAX_FILE_BYTES

APP_PATH = paths.APP_PATH
OFFLINE_ENV = paths.OFFLINE_ENV


def streamlit_command(*, port: int = 8501, headless: bool = False, script: Path = APP_PATH) -> list[str]:
    """The ``streamlit run`` command line: no usage statistics, no first-run email prompt, XSRF protection on,
    uploads capped at the validator's size limit (Streamlit counts megabytes of 1024 * 1024 bytes), no source
    watcher and no forced garbage collection after each run.

    The watcher and the collection are costs on every interaction's path, measured with ``python -m bench``:
    the watcher walks every imported module on the server's event loop for each new session and rerun (about
    250 ms on the first map), and a full collection of the geospatial stack's heap after each run held up a date
    change by about 30 ms. Python's own generational collector still runs.

    Without a credentials file in ``~/.streamlit/``, a non-headless Streamlit stops at an "Email:" prompt
    before it serves anything, and exits with status 255 when there is no terminal to answer it."""
    if not 1 <= port <= 65535:
        raise ValueError(f"port must be between 1 and 65535, got {port}")
    return [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(script),
        "--server.port",
        str(port),
        "--server.headless",
        "true" if headless else "false",
        "--browser.gatherUsageStats",
        "false",
        "--server.showEmailPrompt",
        "false",
        "--server.enableXsrfProtection",
        "true",
        "--server.enableStaticServing",
        "true",
        "--server.maxUploadSize",
        str(MAX_FILE_BYTES // (1024 * 1024)),
        "--server.fileWatcherType",
        "none",
        "--runner.postScriptGC",
        "false",
    ]


def serve(
    *, port: int = 8501, offline: bool = False, headless: bool = False, store: str | os.PathLike | None = None
) -> NoReturn:
    """Become the Streamlit server until it is stopped; ``offline`` makes it serve every asset from local copies,
    ``store`` names the archive store the app reads its archive sources from (else ``$KUPIANSK_MAP_STORE``, else
    ``archives/store.gpkg``). The app only reads the store, through a read-only connection.

    The process replaces itself with Streamlit (same pid) rather than running it as a child, so SIGTERM,
    SIGINT (Ctrl-C) and SIGHUP reach the server itself: a supervisor or a ``kill`` of this pid stops the
    server and frees the port, and nothing is left behind. Streamlit prints the URL once it listens."""
    argv = streamlit_command(port=port, headless=headless)
    env = dict(os.environ)
    if offline:
        env[OFFLINE_ENV] = "1"
    if store is not None:
        env[paths.STORE_ENV] = str(Path(store).resolve())  # the server's working folder changes below
    os.chdir(APP_PATH.parent)  # Streamlit reads .streamlit/config.toml and serves ./static from here
    sys.stdout.flush()
    sys.stderr.flush()
    os.execve(argv[0], argv, env)
