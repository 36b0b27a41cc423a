"""Headless Debian Chromium for the project's own pages (tests, benchmarks, PNG handouts).

Offers:
- ``CHROMIUM_PATH``: Debian's Chromium binary.
- ``LAUNCH_ARGS``: the flags that keep it quiet on a machine with no internet.
- ``launch``: a Playwright ``Browser`` running that binary headless.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

CHROMIUM_PATH = Path("/usr/bin/chromium")
LAUNCH_ARGS: tuple[str, ...] = ("--no-sandbox", "--disable-gpu", "--disable-background-networking",
                                "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic")


def launch(playwright: Any, *, executable: Path = CHROMIUM_PATH) -> Any:
    """Start headless Chromium through a running ``sync_playwright()`` instance."""
    if not executable.exists():
        raise RuntimeError(f"{executable} is missing; install Debian's chromium (bash scripts/install --test)")
    return playwright.chromium.launch(executable_path=str(executable), headless=True, args=list(LAUNCH_ARGS))
