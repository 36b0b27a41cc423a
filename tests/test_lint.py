"""The code stays lint-clean, format-clean and type-clean.

ruff and mypy read their settings from pyproject.toml; these tests run them the way an engineer would, from
the repository root with the test environment's Python, and fail with the tool's own report.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

CHECKS = {
    "ruff check": ["ruff", "check", "--no-fix", "."],
    "ruff format": ["ruff", "format", "--check", "."],
    "mypy": ["mypy"],
}


@pytest.mark.parametrize("name", list(CHECKS))
def test_tool_is_clean(name: str) -> None:
    # sys.executable is the venv's python under `.venv/bin/python -m pytest`, so the pinned tools are used.
    result = subprocess.run(
        [sys.executable, "-m", *CHECKS[name]],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, f"{name} found problems:\n{result.stdout}{result.stderr}"
