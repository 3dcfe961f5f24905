"""One call for every printable output, so the CLI, the demo and the Reports page agree.

A caller (a command line, a dialog) gathers the choices into a :class:`ReportRequest` and hands it
to :func:`write_report`, which picks the writer and returns a :class:`ReportOutput` with the
figures a person wants to read back ("12 pages, 148 members").
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from scorecard.errors import ScorecardError
from scorecard.workspace import Workspace

KINDS = ("executive", "cards", "workbook", "questionnaire")
TITLES = {
    "executive": "Executive report (PDF)",
    "cards": "Member scorecards (PDF)",
    "workbook": "Excel workbook",
    "questionnaire": "Paper questionnaire (PDF)",
}
Progress = Callable[[float, str], None]
Cancel = Callable[[], bool]


@dataclass(frozen=True)
class ReportRequest:
    """What to write: the kind, where, and the options that kind reads."""

    kind: str
    out: Path
    run_id: int | None = None  # None: the latest run
    paper: str = "a4"  # PDFs
    segment: str | None = None  # scorecards: one segment's members
    members: Sequence[str] | None = None  # scorecards, questionnaire: member numbers or ids
    per_page: int = 1  # scorecards: 1 or 4
    per_member: bool = False  # questionnaire: one copy per member


@dataclass(frozen=True)
class ReportOutput:
    kind: str
    path: Path
    pages: int | None  # PDFs
    summary: str  # one line for a person
    notes: tuple[str, ...] = field(default=())  # unknown ids, members left out, split sheets

    def as_dict(self) -> dict[str, object]:
        return {"kind": self.kind, "path": str(self.path), "pages": self.pages,
                "summary": self.summary, "notes": list(self.notes)}


def _unknown(ids: Sequence[str]) -> tuple[str, ...]:
    if not ids:
        return ()
    shown = ", ".join(ids[:10]) + (" …" if len(ids) > 10 else "")
    return (f"not in this workspace: {shown}",)


def write_report(
    ws: Workspace,
    request: ReportRequest,
    progress: Progress | None = None,
    cancel: Cancel | None = None,
) -> ReportOutput:
    """Write one output; raises ScorecardError with a sentence for a person when it cannot."""
    kind, out = request.kind, Path(request.out)
    if kind not in KINDS:
        raise ScorecardError(f"unknown report {kind!r}; choose {', '.join(KINDS)}")
    if not out.parent.exists():
        raise ScorecardError(f"{out.parent}: no such folder")
    say = (lambda f, m: progress(f, m)) if progress else (lambda _f, _m: None)
    if kind == "executive":
        from reports.executive_pdf import write_executive

        ex = write_executive(ws, out, run_id=request.run_id, paper=request.paper,
                             progress=lambda m: say(0.5, m))
        return ReportOutput(kind, ex.path, ex.pages,
                            f"executive report of run {ex.run_id}, {ex.pages} pages")
    if kind == "cards":
        from reports.scorecards_pdf import write_scorecards

        if request.segment is None and not request.members:
            raise ScorecardError("member scorecards: choose a segment or list member ids")
        cards = write_scorecards(
            ws, out, run_id=request.run_id, segment=request.segment,
            member_ids=list(request.members) if request.members else None,
            per_page=request.per_page, paper=request.paper, progress=progress, cancel=cancel,
        )
        notes = _unknown(list(cards.unknown_ids))
        if cards.not_in_run:
            shown = ", ".join(cards.not_in_run[:10]) + (" …" if len(cards.not_in_run) > 10
                                                        else "")
            notes += (f"joined after run {cards.run_id}, so not scored yet: {shown}",)
        return ReportOutput(kind, cards.path, cards.pages,
                            f"{cards.members:,} member scorecard(s), {cards.pages} pages", notes)
    if kind == "workbook":
        from reports.workbook import write_workbook

        book = write_workbook(ws, out, run_id=request.run_id, progress=progress, cancel=cancel)
        notes = tuple(getattr(book, "notes", ()) or ())
        return ReportOutput(kind, book.path, None,
                            f"workbook of {book.members:,} members, {len(book.sheets)} sheets",
                            notes)
    from reports.questionnaire_pdf import questionnaire_for_workspace

    say(0.1, "Laying out the questionnaire …")
    q = questionnaire_for_workspace(
        ws, out, per_member=request.per_member,
        member_ids=list(request.members) if request.members else None, paper=request.paper,
    )
    who = f"for {q.members:,} member(s)" if q.members else "blank"
    notes = _unknown(list(q.unknown_ids))
    if q.without_id:
        notes += (f"{q.without_id:,} member(s) have no member number and were left out",)
    return ReportOutput(kind, q.path, q.pages, f"paper questionnaire, {q.pages} pages, {who}",
                        notes)
