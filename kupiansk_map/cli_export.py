"""``kupiansk-map export``: story, single-map, static-site and PNG exports (filled in by the export work)."""

from __future__ import annotations

import argparse


def add_parsers(sub: argparse._SubParsersAction) -> None:
    """Register the export subcommands."""
