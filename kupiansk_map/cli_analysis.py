"""``kupiansk-map compare|series|import-snapshots``: analyst commands (filled in by the analysis work)."""

from __future__ import annotations

import argparse


def add_parsers(sub: argparse._SubParsersAction) -> None:
    """Register the analysis subcommands."""
