"""``scorecard demo``: generate a sample programme and build a workspace through the real importers.

No Qt here: the GUI can offer the same demo from its welcome page.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from reports.outputs import ReportOutput, ReportRequest, write_report
from scorecard.scoring.runs import RunSummary, score
from scorecard.workspace import Workspace
from survey.demo import generate_demo
from survey.engagement import import_engagement
from survey.importing import ImportResult
from survey.members import import_members
from survey.referrals import import_referrals
from survey.responses import import_survey

WORKSPACE_NAME = "demo.scorecard"


@dataclass
class DemoResult:
    folder: Path
    workspace: Path
    files: dict[str, Path]
    imports: dict[str, ImportResult] = field(default_factory=dict)
    members: int = 0
    score: RunSummary | None = None
    reports: dict[str, ReportOutput] = field(default_factory=dict)

    def as_dict(self) -> dict[str, object]:
        return {
            "workspace": str(self.workspace),
            "files": {k: str(v) for k, v in self.files.items()},
            "imports": {k: v.as_dict() for k, v in self.imports.items()},
            "members": self.members,
            "score": self.score.as_dict() if self.score else None,
            "reports": {k: v.as_dict() for k, v in self.reports.items()},
        }

    def describe(self) -> str:
        lines = [f"Demo written to {self.folder}/"]
        lines += [f"  {p.name}" for p in self.files.values()]
        for kind, result in self.imports.items():
            lines.append(f"Imported {kind}: " + result.describe().replace("\n", "\n  "))
        if self.score is not None:
            lines.append(self.score.describe())
        lines += [f"Wrote {r.path.name}: {r.summary}" for r in self.reports.values()]
        lines.append(f"Workspace: {self.workspace} ({self.members:,} members)")
        lines.append(f"Open it with: scorecard gui {self.workspace}")
        return "\n".join(lines)


def build_demo(
    folder: Path, n_members: int = 5000, progress: Callable[[str], None] | None = None
) -> DemoResult:
    """Write the demo files into ``folder`` and (re)build ``folder/demo.scorecard`` from them."""
    say = progress or (lambda _message: None)
    folder.mkdir(parents=True, exist_ok=True)
    say(f"Generating a sample programme of {n_members:,} members in {folder}/ …")
    files = generate_demo(folder, n_members=n_members)
    ws_path = folder / WORKSPACE_NAME
    for stale in (ws_path, ws_path.with_name(ws_path.name + "-wal"),
                  ws_path.with_name(ws_path.name + "-shm")):
        stale.unlink(missing_ok=True)  # the demo workspace is always rebuilt from its files
    result = DemoResult(folder=folder, workspace=ws_path, files=files.paths())
    with Workspace.create(ws_path, {"category": "coffee", "currency": "EUR",
                                    "programme_name": "Bean & Co. Coffee Club"}) as ws:
        say("Importing the member list …")
        result.imports["members"] = import_members(ws, files.customers)
        say("Importing the survey responses, referrals and e-mail engagement …")
        result.imports["survey"] = import_survey(ws, files.survey, wave="Autumn 2026 survey")
        result.imports["referrals"] = import_referrals(ws, files.referrals)
        result.imports["engagement"] = import_engagement(ws, files.mailchimp)
        result.members = ws.info().members
        say("Scoring …")
        result.score = score(ws)
        for request in demo_reports(folder):
            say(f"Writing {request.out.name} …")
            result.reports[request.kind] = write_report(ws, request)
            result.files[request.kind] = request.out
    return result


def demo_reports(folder: Path) -> list[ReportRequest]:
    """The four outputs the demo writes: what a new user looks at first."""
    return [
        ReportRequest("executive", folder / "executive_report.pdf"),
        ReportRequest("cards", folder / "ambassador_scorecards.pdf", segment="Ambassadors",
                      per_page=4),
        ReportRequest("workbook", folder / "scorecard.xlsx"),
        ReportRequest("questionnaire", folder / "paper_questionnaire.pdf"),
    ]
