"""The browser code under kupiansk_map/web/static/ passes ESLint (eslint.config.mjs; `scripts/install --test`
installs ESLint from package.json's devDependencies)."""

from __future__ import annotations

import subprocess
from pathlib import Path

import kupiansk_map

ROOT = Path(kupiansk_map.__file__).resolve().parent.parent
ESLINT = ROOT / "node_modules" / ".bin" / "eslint"
STATIC = ROOT / "kupiansk_map" / "web" / "static"


def test_the_static_javascript_passes_eslint() -> None:
    assert ESLINT.exists(), f"{ESLINT} is missing: run `bash scripts/install --test`"
    assert list(STATIC.glob("*.js")), f"no JavaScript under {STATIC}"
    result = subprocess.run(
        [str(ESLINT), "--max-warnings", "0", str(STATIC.relative_to(ROOT))],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, f"eslint reported problems:\n{result.stdout}{result.stderr}"
