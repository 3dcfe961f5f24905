"""The title at the top of every page, in one style."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel

STYLE = "font-size: 20px; font-weight: 600;"


def page_heading(text: str) -> QLabel:
    label = QLabel(text)
    label.setStyleSheet(STYLE)
    return label
