"""Workspace settings a loyalty manager changes: gross margin, currency, category word."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QLineEdit,
    QWidget,
)

from scorecard.workspace import Workspace

CURRENCIES = ("EUR", "USD", "GBP", "CHF", "SEK", "NOK", "DKK", "PLN", "CAD", "AUD", "JPY")


class SettingsDialog(QDialog):
    def __init__(self, workspace: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Workspace settings")
        self.workspace = workspace
        current = workspace.settings()
        form = QFormLayout(self)
        self.margin = QDoubleSpinBox()
        self.margin.setRange(0.0, 100.0)
        self.margin.setDecimals(1)
        self.margin.setSuffix(" %")
        self.margin.setValue(_float(current.get("gross_margin"), 0.40) * 100)
        self.margin.setToolTip("Share of revenue left after the cost of goods; profit = "
                               "revenue × margin − cost to serve.")
        form.addRow("Gross margin:", self.margin)
        self.currency = QComboBox()
        self.currency.setEditable(True)
        self.currency.addItems(CURRENCIES)
        self.currency.setCurrentText(current.get("currency", "EUR"))
        form.addRow("Currency:", self.currency)
        self.category = QLineEdit(current.get("category", "products"))
        self.category.setToolTip('The word questions use: "How much do you know about …?"')
        form.addRow("Category word:", self.category)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def values(self) -> dict[str, str]:
        return {
            "gross_margin": f"{self.margin.value() / 100:.4g}",
            "currency": self.currency.currentText().strip().upper() or "EUR",
            "category": self.category.text().strip() or "products",
        }

    def accept(self) -> None:
        self.workspace.set_settings(self.values())
        super().accept()


def _float(text: str | None, default: float) -> float:
    try:
        return float(text) if text else default
    except ValueError:
        return default
