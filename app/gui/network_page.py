"""The Network page: who brought in whom. The referral graph's size and circles, the top
referrers by NV and by PageRank, and a drawing of one member's two-hop ego network.

The summary (PageRank over the whole graph) and each ego network are read in background
``Op``s. Picking a referrer in a table draws their ego network; double-clicking a member (in a
table or the drawing) asks for their detail (``member_requested``).
"""

from __future__ import annotations

import math

from PySide6.QtCore import QPointF, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont, QMouseEvent, QPainter, QPen, QPolygonF
from PySide6.QtWidgets import (
    QGraphicsEllipseItem,
    QGraphicsScene,
    QGraphicsView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.gui.heading import page_heading
from app.gui.lazy_page import LazyPage
from app.gui.quadrant_view import SEGMENT_COLOURS
from app.gui.worker import Op, error_text
from scorecard.scoring.graph import (
    EgoNetwork,
    NetworkSummary,
    Referrer,
    ego_layout,
    ego_network,
    network_summary,
)
from scorecard.scoring.member_history import find_member
from scorecard.workspace import Workspace

RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
SCALE = 230.0  # scene units per layout unit
NODE_RADIUS = {0: 13.0, 1: 9.0, 2: 6.0}


class EgoView(QGraphicsView):
    """The drawing; double-clicking a member asks for their detail."""

    member_activated = Signal(int)

    def __init__(self) -> None:
        super().__init__()
        self.setScene(QGraphicsScene(self))
        self.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        self.setMinimumSize(360, 300)
        self.nodes: dict[int, QGraphicsEllipseItem] = {}

    def draw(self, ego: EgoNetwork, pos: dict[int, tuple[float, float]]) -> None:
        scene = self.scene()
        scene.clear()
        self.nodes = {}
        points = {m: QPointF(x * SCALE, -y * SCALE) for m, (x, y) in pos.items()}
        hops = {n.member_id: n.hop for n in ego.nodes}
        edge_pen = QPen(QColor("#9AA5B1"), 1.2)
        for a, b in ego.edges:  # a few dozen edges
            start, end = points[a], points[b]
            dx, dy = end.x() - start.x(), end.y() - start.y()
            length = math.hypot(dx, dy) or 1.0
            ux, uy = dx / length, dy / length
            tip = QPointF(end.x() - ux * (NODE_RADIUS[hops[b]] + 1),
                          end.y() - uy * (NODE_RADIUS[hops[b]] + 1))
            scene.addLine(start.x(), start.y(), tip.x(), tip.y(), edge_pen)
            head = QPolygonF([tip, QPointF(tip.x() - ux * 8 - uy * 4, tip.y() - uy * 8 + ux * 4),
                              QPointF(tip.x() - ux * 8 + uy * 4, tip.y() - uy * 8 - ux * 4)])
            scene.addPolygon(head, QPen(Qt.PenStyle.NoPen), QBrush(QColor("#9AA5B1")))
        label_all = len(ego.nodes) <= 25
        bold = QFont(self.font())
        bold.setBold(True)
        for node in ego.nodes:
            r = NODE_RADIUS[node.hop]
            at = points[node.member_id]
            colour = QColor(SEGMENT_COLOURS.get(node.segment or "", "#B8C1CC"))
            item = scene.addEllipse(at.x() - r, at.y() - r, 2 * r, 2 * r,
                                    QPen(QColor("#1F2933"), 2.5 if node.hop == 0 else 1),
                                    QBrush(colour))
            nv = "—" if node.network_value is None else f"{node.network_value:.1f}"
            item.setToolTip(f"{node.name}\n{node.segment or 'not scored'} · NV {nv}\n"
                            "double-click to open")
            item.setData(0, node.member_id)
            item.setZValue(1)
            self.nodes[node.member_id] = item
            if label_all or node.hop < 2:
                self._label(node.name, at, r, bold if node.hop == 0 else self.font())
        scene.setSceneRect(scene.itemsBoundingRect().adjusted(-20, -20, 20, 20))
        self.fit()

    def _label(self, name: str, at: QPointF, r: float, font: QFont) -> None:
        """A name beside its node, on the side away from the centre, on a pale backing so
        the edges under it do not cross the letters."""
        scene = self.scene()
        text = scene.addSimpleText(name)
        text.setFont(font)
        box = text.boundingRect()
        x = at.x() + r + 3 if at.x() >= 0 else at.x() - r - 3 - box.width()
        text.setPos(x, at.y() - box.height() / 2)
        text.setZValue(3)
        back = scene.addRect(box.adjusted(-2, 0, 2, 0).translated(text.pos()),
                             QPen(Qt.PenStyle.NoPen), QBrush(QColor(255, 255, 255, 210)))
        back.setZValue(2)

    def fit(self) -> None:
        """Show the whole drawing, never enlarged past its natural size (a circle of three
        must not fill the screen with giant letters)."""
        rect = self.scene().sceneRect()
        self.fitInView(rect, Qt.AspectRatioMode.KeepAspectRatio)
        if self.transform().m11() > 1.0:
            self.resetTransform()
            self.centerOn(rect.center())

    def resizeEvent(self, event) -> None:  # type: ignore[no-untyped-def]
        super().resizeEvent(event)
        if self.scene().items():
            self.fit()

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        for item in self.items(event.position().toPoint()):
            member = item.data(0)
            if member is not None:
                self.member_activated.emit(int(member))
                return
        super().mouseDoubleClickEvent(event)


def _referrer_table() -> QTableWidget:
    table = QTableWidget(0, 4)
    table.setHorizontalHeaderLabels(["Name", "Referred", "NV", "PageRank"])
    table.verticalHeader().hide()
    table.verticalHeader().setDefaultSectionSize(22)
    table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
    table.setSelectionMode(QTableWidget.SelectionMode.SingleSelection)
    table.setAlternatingRowColors(True)
    header = table.horizontalHeader()
    header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
    for column in (1, 2, 3):
        header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
    return table


class NetworkPage(LazyPage):
    member_requested = Signal(int)
    import_requested = Signal()  # Import referrals…
    loaded = Signal()
    ego_drawn = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.summary: NetworkSummary | None = None
        self.ego: EgoNetwork | None = None
        self.op: Op | None = None
        self.ego_op: Op | None = None
        self._generation = 0
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        heading = page_heading("Network")
        top.addWidget(heading)
        top.addStretch(1)
        self.import_button = QPushButton("Import referrals…")
        self.import_button.clicked.connect(self.import_requested)
        top.addWidget(self.import_button)
        layout.addLayout(top)
        self.stack = QStackedWidget()
        layout.addWidget(self.stack, 1)
        empty = QWidget()
        ev = QVBoxLayout(empty)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setStyleSheet("font-size: 14px;")
        ev.addWidget(self.message)
        ev.addStretch(1)
        self.stack.addWidget(empty)
        self.stack.addWidget(self._content())
        self._message("Open a workspace to see who brought in whom.")

    def _content(self) -> QWidget:
        page = QWidget()
        v = QVBoxLayout(page)
        v.setContentsMargins(0, 0, 0, 0)
        self.facts = QLabel()
        self.facts.setWordWrap(True)
        v.addWidget(self.facts)
        split = QSplitter(Qt.Orientation.Horizontal)
        tables = QWidget()
        tv = QVBoxLayout(tables)
        tv.setContentsMargins(0, 0, 0, 0)
        self.nv_title = QLabel("<b>Top referrers by network value (NV)</b>")
        tv.addWidget(self.nv_title)
        self.by_nv = _referrer_table()
        tv.addWidget(self.by_nv, 1)
        tv.addWidget(QLabel("<b>Top by influence (PageRank)</b>"))
        self.by_rank = _referrer_table()
        tv.addWidget(self.by_rank, 1)
        hint = QLabel("Pick a member to draw their circle; double-click to open them.")
        hint.setStyleSheet("color: #5F6B7A;")
        hint.setWordWrap(True)
        tv.addWidget(hint)
        split.addWidget(tables)
        ego = QWidget()
        gv = QVBoxLayout(ego)
        gv.setContentsMargins(0, 0, 0, 0)
        row = QHBoxLayout()
        self.find = QLineEdit()
        self.find.setPlaceholderText("Member no., e-mail or referral code…")
        self.find.returnPressed.connect(self._find)
        row.addWidget(self.find, 1)
        show = QPushButton("Show circle")
        show.clicked.connect(self._find)
        row.addWidget(show)
        gv.addLayout(row)
        self.ego_title = QLabel("Pick a referrer to see who they brought in, two steps out.")
        self.ego_title.setWordWrap(True)
        gv.addWidget(self.ego_title)
        self.view = EgoView()
        self.view.member_activated.connect(self.member_requested)
        gv.addWidget(self.view, 1)
        legend = QLabel("Arrows point from referrer to the member they brought in. Colour: "
                        + ", ".join(f"<span style='color:{c}'>■</span> {s}"
                                    for s, c in SEGMENT_COLOURS.items())
                        + ", <span style='color:#B8C1CC'>■</span> not scored.")
        legend.setWordWrap(True)
        legend.setStyleSheet("color: #5F6B7A;")
        gv.addWidget(legend)
        split.addWidget(ego)
        split.setSizes([420, 580])
        v.addWidget(split, 1)
        for table in (self.by_nv, self.by_rank):
            table.itemSelectionChanged.connect(lambda t=table: self._picked(t))
            table.cellDoubleClicked.connect(lambda r, _c, t=table: self._open_row(t, r))
        return page

    def _message(self, text: str) -> None:
        self.message.setText(text)
        self.stack.setCurrentIndex(0)

    # -- workspace and loading -----------------------------------------------------------
    def set_workspace(self, workspace: Workspace | None) -> None:
        self.workspace = workspace
        self._generation += 1
        self.summary = None
        self.import_button.setEnabled(workspace is not None)
        if workspace is None:
            self._message("Open a workspace to see who brought in whom.")
            return
        self._message("Reading the referrals…")
        self.refresh()

    def load(self) -> Op | None:
        ws = self.workspace
        if ws is None:
            return None
        self._dirty = False
        generation = self._generation
        op = Op(lambda _p, _c: network_summary(ws), title="Read the referral network",
                parent=self)
        op.succeeded.connect(lambda s, g=generation: self._loaded(g, s))
        op.failed.connect(lambda exc, g=generation: g == self._generation and self._message(
            "The referrals could not be read: " + error_text(exc)[0]))
        self.op = op.start(self, show_errors=False)
        return op

    def _loaded(self, generation: int, summary: NetworkSummary) -> None:
        if generation != self._generation:
            return
        self.summary = summary
        if summary.referral_rows == 0:
            self._message("No referrals yet. Import a referrals report (who brought in whom, "
                          "from your referral or refer-a-friend tool) with Import referrals… "
                          "to see your members' network value and influence here.")
            self.loaded.emit()
            return
        s = summary
        unmatched = (f" ({s.unmatched_rows:,} referral rows name someone not in the member "
                     "list)" if s.unmatched_rows else "")
        pairs = dict(s.component_sizes).get(2, 0)
        self.facts.setText(
            f"<b>{s.nodes:,}</b> members in the referral graph, <b>{s.edges:,}</b> referrals "
            f"between members{unmatched}. <b>{s.referrers:,}</b> referred someone, "
            f"<b>{s.referred:,}</b> were referred. <b>{s.components:,}</b> separate circles: "
            f"the largest has {s.largest_component:,} members, {pairs:,} are a single pair."
        )
        self.nv_title.setText(
            "<b>Top referrers by network value (NV)</b>"
            + (f" — NV from score run {s.run_id}" if s.run_id is not None
               else " — score the members to see NV"))
        self._fill(self.by_nv, s.top_by_nv)
        self._fill(self.by_rank, s.top_by_pagerank)
        self.stack.setCurrentIndex(1)
        self.loaded.emit()
        top = s.top_by_nv or s.top_by_pagerank
        if top and self.ego is None:
            (self.by_nv if s.top_by_nv else self.by_rank).selectRow(0)

    def _fill(self, table: QTableWidget, rows: tuple[Referrer, ...]) -> None:
        table.blockSignals(True)
        table.setRowCount(len(rows))
        for r, ref in enumerate(rows):  # the top 25
            values = (ref.name, f"{ref.referrals:,}",
                      "—" if ref.network_value is None else f"{ref.network_value:.1f}",
                      f"{ref.pagerank:.2f}")
            for c, text in enumerate(values):
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, ref.member_id)
                if c:
                    item.setTextAlignment(RIGHT)
                table.setItem(r, c, item)
        table.blockSignals(False)

    # -- ego network ---------------------------------------------------------------------
    def _picked(self, table: QTableWidget) -> None:
        rows = table.selectionModel().selectedRows()
        other = self.by_rank if table is self.by_nv else self.by_nv
        if rows:
            other.blockSignals(True)
            other.clearSelection()
            other.blockSignals(False)
            self.show_ego(int(table.item(rows[0].row(), 0).data(Qt.ItemDataRole.UserRole)))

    def _open_row(self, table: QTableWidget, row: int) -> None:
        self.member_requested.emit(int(table.item(row, 0).data(Qt.ItemDataRole.UserRole)))

    def _find(self) -> None:
        if self.workspace is None:
            return
        member = find_member(self.workspace, self.find.text())  # a few indexed lookups
        if member is None:
            self.ego_title.setText(f"No member matches {self.find.text().strip()!r}.")
            return
        for table in (self.by_nv, self.by_rank):
            table.blockSignals(True)
            table.clearSelection()
            table.blockSignals(False)
        self.show_ego(member)

    def show_ego(self, member_id: int) -> Op | None:
        """Draw the member's two-hop circle (read and laid out in the background)."""
        ws = self.workspace
        if ws is None:
            return None
        generation = self._generation

        def work(_p, _c):  # type: ignore[no-untyped-def]
            ego = ego_network(ws, member_id)
            return ego, ego_layout(ego)

        op = Op(work, title="Draw the referral circle", parent=self)
        op.succeeded.connect(lambda result, g=generation: self._draw(g, *result))
        self.ego_op = op.start(self)
        return op

    def _draw(self, generation: int, ego: EgoNetwork, pos: dict[int, tuple[float, float]]) -> None:
        if generation != self._generation:
            return
        self.ego = ego
        centre = next(n for n in ego.nodes if n.hop == 0)
        direct = sum(1 for n in ego.nodes if n.hop == 1)
        text = (f"<b>{centre.name}</b>: {direct} direct referral link(s); "
                f"{ego.within_two_hops - 1:,} member(s) within two steps")
        if ego.capped:
            text += (f" — drawing the {len(ego.nodes)} nearest and best connected "
                     f"(at most {ego.cap}).")
        self.ego_title.setText(text)
        self.view.draw(ego, pos)
        self.ego_drawn.emit()
