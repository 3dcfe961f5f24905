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


@pytest.fixture(scope="session")
def demo_built(tmp_path_factory: pytest.TempPathFactory):
    """A 1,500-member demo programme built once through the real importers and scored.

    Read-only: tests that change the workspace take ``demo_workspace``, a copy of their own.
    """
    from app.demo import build_demo

    return build_demo(tmp_path_factory.mktemp("demo"), n_members=1500)


@pytest.fixture
def demo_workspace(demo_built, tmp_path: Path):
    """A private copy of the scored demo workspace, open, closed after the test."""
    import shutil

    path = tmp_path / "demo.scorecard"
    shutil.copyfile(demo_built.workspace, path)
    ws = Workspace.open(path)
    yield ws
    ws.close()
