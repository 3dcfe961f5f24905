"""The scoring studio's controls: one slider and spin box per weight, band value and threshold.

``control_groups(config)`` says which settings are shown, grouped, with their ranges; the
``ControlPanel`` builds the widgets and emits ``changed(path, value)`` when the person moves one
(paths as in ``scorecard.scoring.whatif.get_value``). Setting a config into the panel never
emits.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QGridLayout,
    QGroupBox,
    QLabel,
    QScrollArea,
    QSlider,
    QVBoxLayout,
    QWidget,
)

from scorecard.scoring.config import MEASURES, ScoringConfig, default_config
from scorecard.scoring.whatif import get_value

ITEM_LABELS = {
    "k_expertise": "Category expertise",
    "k_interest": "Category interest",
    "k_brand": "Brand involvement",
    "k_advice": "Asked for advice",
    "k_influence": "Influences choices",
    "k_maven": "Source of information",
    "k_years": "Years in the category",
    "p_read": "Reads reviews",
    "p_reviews": "Writes reviews",
    "p_photos": "Posts photos, videos",
    "p_posts": "Writes posts, blogs",
    "p_comment": "Comments, discusses",
    "p_share": "Shares, forwards",
    "p_recommend": "Recommends in person",
    "p_events": "Attends events",
    "p_organise": "Organises groups",
}


@dataclass(frozen=True)
class Spec:
    """One control: where its value lives in the config, its label and range."""

    path: str
    label: str
    lo: float = 0.0
    hi: float = 5.0
    step: float = 0.1
    decimals: int = 1
    kind: str = "number"  # number | whole | check | choice
    choices: tuple[str, ...] = ()
    tip: str = ""
    none_text: str = ""  # a number that may be unset: shown at the bottom of its range
    compact: bool = False  # spin box only (the network grid)


@dataclass(frozen=True)
class Group:
    title: str
    note: str
    specs: tuple[Spec, ...]
    grid_columns: tuple[str, ...] = ()  # a compact grid: row label, then one column per field


def _weight(path: str, label: str, hi: float = 5.0, tip: str = "") -> Spec:
    return Spec(path, label, 0.0, hi, 0.1, 1, tip=tip)


def control_groups(config: ScoringConfig, margin_text: str = "") -> list[Group]:
    """The studio's settings for ``config``, grouped the way the scoring model reads."""
    defaults = default_config()
    groups = [
        Group("Social score S", "S is the weighted mean of K, P and R (only ratios matter).", (
            _weight("social.knowledge", "K weight (knowledge)"),
            _weight("social.participation", "P weight (participation)"),
            _weight("social.reach", "R weight (reach)"),
            Spec("social.min_components", "Components needed", 1, 3, 1, 0, "whole",
                 tip="S needs at least this many of K, P, R"),
            Spec("social.min_answered_share", "Share of items answered", 0.05, 1.0, 0.05, 2,
                 tip="A component with fewer of its items answered is missing"),
            Spec("quality.exclude_straightliners", "Leave straight-liners out of S",
                 kind="check", tip="Members who gave the same answer to every item"),
        )),
        Group("Segments", "Ambassadors: S and F at or above both thresholds.", (
            Spec("segments.social_threshold", "Social threshold (S ≥)", 0, 100, 1, 0),
            Spec("segments.financial_threshold", "Financial threshold (F ≥)", 0, 100, 1, 0,
                 tip="F is a percentile rank: 75 is the top quartile"),
        )),
        Group("Financial value F", "F is the percentile rank of the chosen measure.", (
            Spec("financial.measure", "Measure", kind="choice", choices=MEASURES),
            Spec("financial.gross_margin", "Gross margin", 0.0, 1.0, 0.01, 2,
                 none_text=margin_text or "Workspace",
                 tip="Profit = revenue × margin − cost to serve"),
            Spec("financial.expected_years", "CLV horizon (years)", 0.5, 20, 0.5, 1),
            Spec("financial.min_tenure_years", "Minimum tenure (years)", 0.1, 10, 0.1, 1),
            *((Spec("financial.potential_weight", "Potential value weight", 0, 5, 0.1, 1),)
              if config.financial.share_of_wallet_item else ()),
        )),
        Group("Knowledge K", "Item weights (the published scales weigh items equally).", tuple(
            _weight(f"knowledge.items.{it.id}.weight", ITEM_LABELS.get(it.id, it.id))
            for it in config.knowledge.items
        )),
        Group("Participation P", "Activity and connection parts, and each activity's weight "
              "(Technographics: Spectators 1 … Creators 6).", (
            _weight("participation.activity_weight", "Activity part"),
            _weight("participation.connection_weight", "Connection part"),
            _weight("participation.closeness_weight", "Close-knit networks"),
            _weight("participation.publicness_weight", "Public networks"),
            *(_weight(f"participation.items.{it.id}.weight", ITEM_LABELS.get(it.id, it.id),
                      hi=10.0, tip=f"Technographics rung: {it.rung}" if it.rung else "")
              for it in config.participation.activities),
        )),
        Group("Reach R", "R = reference score × ln(1 + contacts) / ln(1 + reference), capped.", (
            Spec("reach.reference", "Reference reach (contacts)", 10, 2000, 10, 0),
            Spec("reach.reference_score", "Score at the reference", 1, 100, 1, 0),
            Spec("reach.cap", "Cap", 1, 100, 1, 0),
            Spec("reach.implausible_above", "Implausible above", 100, 10000, 50, 0,
                 tip="One network's count above this is counted as this"),
            *(Spec(f"reach.bands.{label}", f"Band “{label}” counts as", 0,
                   max(20.0, 5 * max(value, dict(defaults.reach.bands).get(label, 0.0))), 1, 0)
              for label, value in config.reach.bands),
        )),
        Group("Networks", "Weight of each network's reach and connection value.", tuple(
            spec for net in config.networks for spec in (
                Spec(f"networks.{net.key}.reach_weight", net.key, 0, 5, 0.1, 1, compact=True),
                Spec(f"networks.{net.key}.connection_weight", net.key, 0, 5, 0.1, 1,
                     compact=True),
            )
        ), grid_columns=("Reach", "Connection")),
    ]
    return [replace(g, specs=tuple(_fitted(s, config) for s in g.specs))
            for g in groups if g.specs]


def _fitted(spec: Spec, config: ScoringConfig) -> Spec:
    """``spec`` with its range widened to hold the config's value (a file may say anything)."""
    value = get_value(config, spec.path)
    if spec.kind not in ("number", "whole") or not isinstance(value, int | float):
        return spec
    if value > spec.hi:
        return replace(spec, hi=float(value) * 2)
    if value < spec.lo:
        return replace(spec, lo=float(value))
    return spec


class NumberControl(QWidget):
    """A slider with a spin box beside it, kept in step; ``none_text`` allows an unset value."""

    changed = Signal(str, object)

    def __init__(self, spec: Spec, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.spec = spec
        self._offset = 1 if spec.none_text else 0  # slider position 0 is "unset"
        row = QGridLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        self.spin = QDoubleSpinBox()
        self.spin.setDecimals(spec.decimals)
        self.spin.setSingleStep(spec.step)
        self.spin.setRange(spec.lo - (spec.step if spec.none_text else 0), spec.hi)
        self.spin.setKeyboardTracking(False)
        self.spin.setMinimumWidth(86)
        if spec.none_text:
            self.spin.setSpecialValueText(spec.none_text)
            text = self.spin.fontMetrics().horizontalAdvance(spec.none_text)
            self.spin.setMinimumWidth(max(86, text + 40))
        self.slider = QSlider(Qt.Orientation.Horizontal, self)
        self.slider.setMinimumWidth(70)
        self.slider.setRange(0, round((spec.hi - spec.lo) / spec.step) + self._offset)
        self.slider.setAccessibleName(spec.label)
        self.spin.setAccessibleName(spec.label)
        if spec.tip:
            self.setToolTip(spec.tip)
        if spec.compact:
            self.slider.hide()  # kept in step all the same, so every control works alike
        else:
            row.addWidget(self.slider, 0, 0)
        row.addWidget(self.spin, 0, 1)
        row.setColumnStretch(0, 1)
        self.slider.valueChanged.connect(self._slid)
        self.spin.valueChanged.connect(self._spun)

    def value(self) -> float | int | None:
        v = self.spin.value()
        if self.spec.none_text and v < self.spec.lo:
            return None
        return round(v) if self.spec.kind == "whole" else round(v, self.spec.decimals)

    def set_value(self, value: object) -> None:
        for w in (self.spin, self.slider):
            w.blockSignals(True)
        if value is None:
            self.spin.setValue(self.spin.minimum())
            self.slider.setValue(0)
        else:
            self.spin.setValue(float(value))  # type: ignore[arg-type]
            self.slider.setValue(self._position(float(value)))  # type: ignore[arg-type]
        for w in (self.spin, self.slider):
            w.blockSignals(False)

    def _position(self, value: float) -> int:
        return round((value - self.spec.lo) / self.spec.step) + self._offset

    def _slid(self, position: int) -> None:
        self.spin.blockSignals(True)
        if position < self._offset:
            self.spin.setValue(self.spin.minimum())
        else:
            self.spin.setValue(self.spec.lo + (position - self._offset) * self.spec.step)
        self.spin.blockSignals(False)
        self.changed.emit(self.spec.path, self.value())

    def _spun(self, _value: float) -> None:
        self.slider.blockSignals(True)
        value = self.value()
        self.slider.setValue(0 if value is None else self._position(float(value)))
        self.slider.blockSignals(False)
        self.changed.emit(self.spec.path, value)


class ChoiceControl(QComboBox):
    changed = Signal(str, object)

    def __init__(self, spec: Spec, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.spec = spec
        self.addItems(list(spec.choices))
        self.setAccessibleName(spec.label)
        self.currentTextChanged.connect(lambda text: self.changed.emit(spec.path, text))

    def set_value(self, value: object) -> None:
        self.blockSignals(True)
        self.setCurrentText(str(value))
        self.blockSignals(False)


class CheckControl(QCheckBox):
    changed = Signal(str, object)

    def __init__(self, spec: Spec, parent: QWidget | None = None) -> None:
        super().__init__(spec.label, parent)
        self.spec = spec
        if spec.tip:
            self.setToolTip(spec.tip)
        self.toggled.connect(lambda on: self.changed.emit(spec.path, bool(on)))

    def set_value(self, value: object) -> None:
        self.blockSignals(True)
        self.setChecked(bool(value))
        self.blockSignals(False)


Control = NumberControl | ChoiceControl | CheckControl


def make_control(spec: Spec) -> Control:
    if spec.kind == "choice":
        return ChoiceControl(spec)
    if spec.kind == "check":
        return CheckControl(spec)
    return NumberControl(spec)


class ControlPanel(QScrollArea):
    """Every control of ``control_groups``, in a scrolling column of group boxes."""

    changed = Signal(str, object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWidgetResizable(True)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setMinimumWidth(430)
        self.controls: dict[str, Control] = {}
        self._shape: tuple[object, ...] | None = None

    def set_config(self, config: ScoringConfig, margin_text: str = "") -> None:
        """Show ``config``'s values (rebuilding the controls when its items or bands differ)."""
        groups = control_groups(config, margin_text)
        shape = tuple((g.title, tuple(s.path for s in g.specs), margin_text) for g in groups)
        if shape != self._shape:
            self._build(groups)
            self._shape = shape
        for path, control in self.controls.items():
            control.set_value(get_value(config, path))

    def _build(self, groups: list[Group]) -> None:
        self.controls = {}
        body = QWidget()
        column = QVBoxLayout(body)
        for group in groups:
            box = QGroupBox(group.title)
            grid = QGridLayout(box)
            note = QLabel(group.note)
            note.setWordWrap(True)
            note.setStyleSheet("color: palette(placeholder-text);")
            grid.addWidget(note, 0, 0, 1, 3)
            if group.grid_columns:
                self._grid(grid, group)
            else:
                for row, spec in enumerate(group.specs, start=1):
                    control = make_control(spec)
                    if spec.kind == "check":
                        grid.addWidget(control, row, 0, 1, 2)
                    else:
                        grid.addWidget(QLabel(spec.label), row, 0)
                        grid.addWidget(control, row, 1)
                    self._add(spec, control)
                grid.setColumnStretch(1, 1)
            column.addWidget(box)
        column.addStretch(1)
        old = self.takeWidget()
        if old is not None:
            old.deleteLater()
        self.setWidget(body)

    def _grid(self, grid: QGridLayout, group: Group) -> None:
        for j, title in enumerate(group.grid_columns, start=1):
            grid.addWidget(QLabel(title), 1, j)
        per_row = len(group.grid_columns)
        for i in range(0, len(group.specs), per_row):
            row = 2 + i // per_row
            grid.addWidget(QLabel(group.specs[i].label), row, 0)
            for j, spec in enumerate(group.specs[i:i + per_row], start=1):
                control = make_control(spec)
                grid.addWidget(control, row, j)
                self._add(spec, control)

    def _add(self, spec: Spec, control: Control) -> None:
        control.changed.connect(self.changed)
        self.controls[spec.path] = control
