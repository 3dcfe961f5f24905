"""Native Excel charts for the Summary sheet (openpyxl.chart), over cells the workbook writes.

Three charts: members by segment (as scored, and as the Weights sheet now says), the score
distributions of the surveyed members, and the Financial × Social quadrant as a scatter of a
sample, one series per segment, with the two thresholds drawn as lines that follow the Weights
sheet. Axes are set not-deleted explicitly: openpyxl 3.1 leaves ``delete`` unset, and recent
Excel then hides the axes.
"""

from __future__ import annotations

from openpyxl.chart import BarChart, LineChart, Reference, ScatterChart, Series
from openpyxl.chart.label import DataLabelList
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from reports.workbook_cells import ACCENT, SEGMENT_COLOURS

_COMPONENT_COLOURS = ("2C6E8F", "D08C2E", "5E8C4A", "1F2933")  # K, P, R, S (as the PDF)


def _axes(chart: BarChart | LineChart | ScatterChart, x_title: str, y_title: str) -> None:
    chart.x_axis.title = x_title
    chart.y_axis.title = y_title
    chart.x_axis.delete = False
    chart.y_axis.delete = False
    chart.legend.position = "b"


def segment_chart(sheet: WriteOnlyWorksheet, first_row: int, last_row: int,
                  run_col: int, live_col: int) -> BarChart:
    """Members per segment: the run's counts beside the counts the Weights sheet gives now."""
    chart = BarChart()
    chart.type = "col"
    chart.title = "Members by segment"
    chart.style = 10
    cats = Reference(sheet, min_col=1, min_row=first_row, max_row=last_row)
    for col, colour in ((run_col, ACCENT), (live_col, "D08C2E")):
        data = Reference(sheet, min_col=col, min_row=first_row - 1, max_row=last_row)
        chart.add_data(data, titles_from_data=True)
        chart.series[-1].graphicalProperties.solidFill = colour
        chart.series[-1].graphicalProperties.line.solidFill = colour
    chart.set_categories(cats)
    # Only the value: LibreOffice shows series and category names too unless told not to.
    chart.dataLabels = DataLabelList(showVal=True, showSerName=False, showCatName=False,
                                     showLegendKey=False, showPercent=False)
    _axes(chart, "", "Members")
    chart.width, chart.height = 17.0, 8.5
    return chart


def distribution_chart(sheet: WriteOnlyWorksheet, first_row: int, last_row: int,
                       first_col: int) -> LineChart:
    """How K, P, R and S spread over 5-point bands (surveyed members)."""
    chart = LineChart()
    chart.title = "Score distributions (surveyed members)"
    chart.style = 12
    for i, colour in enumerate(_COMPONENT_COLOURS):
        data = Reference(sheet, min_col=first_col + 1 + i, min_row=first_row - 1,
                         max_row=last_row)
        chart.add_data(data, titles_from_data=True)
        series = chart.series[-1]
        series.graphicalProperties.line.solidFill = colour
        series.graphicalProperties.line.width = 22000 if i == 3 else 15000  # EMU: S bolder
        series.smooth = False
        series.marker.symbol = "none"
    chart.set_categories(Reference(sheet, min_col=first_col, min_row=first_row,
                                   max_row=last_row))
    _axes(chart, "Score band", "Members")
    chart.x_axis.tickLblSkip = 2
    chart.width, chart.height = 17.0, 8.5
    return chart


def quadrant_chart(data: WriteOnlyWorksheet, segments: list[str], rows: list[int],
                   line_col: int, sample: int, total: int) -> ScatterChart:
    """F (x) against S (y) for a sample: a series per segment, threshold lines from Weights.

    ``data`` holds per segment i the columns 2i+1 (F) and 2i+2 (S) from row 2, ``rows[i]``
    values each; ``line_col`` starts the threshold lines (F line x/y, then S line x/y, rows 2–3).
    """
    chart = ScatterChart()
    shown = f"a sample of {sample:,} of {total:,}" if sample < total else f"{total:,}"
    chart.title = f"Financial × Social: {shown} scored members"
    chart.style = 13
    for i, (name, count) in enumerate(zip(segments, rows, strict=True)):
        if not count:
            continue
        xs = Reference(data, min_col=2 * i + 1, min_row=2, max_row=count + 1)
        ys = Reference(data, min_col=2 * i + 2, min_row=2, max_row=count + 1)
        series = Series(ys, xs, title=name)
        series.marker.symbol = "circle"
        series.marker.size = 3
        colour = SEGMENT_COLOURS[i]
        series.marker.graphicalProperties.solidFill = colour
        series.marker.graphicalProperties.line.solidFill = colour
        series.graphicalProperties.line.noFill = True  # points, not a line through them
        chart.series.append(series)
    for j, title in enumerate(("F threshold", "S threshold")):
        xs = Reference(data, min_col=line_col + 2 * j, min_row=2, max_row=3)
        ys = Reference(data, min_col=line_col + 2 * j + 1, min_row=2, max_row=3)
        series = Series(ys, xs, title=title)
        series.marker.symbol = "none"
        series.graphicalProperties.line.solidFill = "5F6B7A"
        series.graphicalProperties.line.dashStyle = "dash"
        series.graphicalProperties.line.width = 12700
        chart.series.append(series)
    for axis in (chart.x_axis, chart.y_axis):
        axis.scaling.min = 0
        axis.scaling.max = 100
        axis.majorUnit = 25
    _axes(chart, "F — financial value (percentile)", "S — social score")
    chart.width, chart.height = 22.0, 12.0
    return chart
