"""What every ``scorecard`` command shares: printing a result, reading common options."""

from __future__ import annotations

import argparse
import json


def emit(args: argparse.Namespace, summary: object, text: str) -> None:
    """Print ``summary`` as one JSON value with --json, else the human ``text``."""
    if getattr(args, "json", False):
        print(json.dumps(summary, ensure_ascii=False, default=str))
    else:
        print(text)


def delimiter(value: str | None) -> str | None:
    """``--delimiter``: the character, or 'tab'."""
    return {"tab": "\t", "\\t": "\t"}.get(value, value) if value else value
