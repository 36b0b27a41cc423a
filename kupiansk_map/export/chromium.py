"""Headless Debian Chromium for the project's own pages (tests, benchmarks, PNG handouts).

Offers:
- ``CHROMIUM_PATH``: Debian's Chromium binary.
- ``LAUNCH_ARGS``: the flags that keep it quiet on a machine with no internet.
- ``LOOPBACK_ONLY_ARGS``: a flag that makes every host name but the loopback ones fail to resolve.
- ``launch``: a Playwright ``Browser`` running that binary headless.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

CHROMIUM_PATH = Path("/usr/bin/chromium")
LAUNCH_ARGS: tuple[str, ...] = (
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
)

# Offline at the resolver: no per-request interception, so timings are not slowed by it (unlike Playwright routes).
LOOPBACK_ONLY_ARGS: tuple[str, ...] = ("--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, EXCLUDE localhost",)


def launch(playwright: Any, *, executable: Path = CHROMIUM_PATH, extra_args: Sequence[str] = ()) -> Any:
    """Start headless Chromium through a running ``sync_playwright()`` instance, with ``extra_args`` added."""
    if not executable.exists():
        raise RuntimeError(f"{executable} is missing; install Debian's chromium (bash scripts/install --test)")
    if isinstance(extra_args, str):
        raise TypeError("extra_args must be a sequence of flags, not one str")
    return playwright.chromium.launch(executable_path=str(executable), headless=True, args=[*LAUNCH_ARGS, *extra_args])
