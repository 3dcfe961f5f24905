"""Shared fixtures. Qt runs offscreen; tests never need a display."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from scorecard.workspace import Workspace


@pytest.fixture
def workspace(tmp_path: Path):
    """A fresh, empty workspace, closed after the test."""
    ws = Workspace.create(tmp_path / "test.scorecard")
    yield ws
    ws.close()
