"""The standard questionnaire rendered for people: paste-ready wording for Google Forms and
Microsoft Forms, and a codebook CSV (item id, component, kind, wording, option labels/values).

``scorecard questionnaire --kit DIR`` calls ``write_kit``; ``survey.questionnaire.write_kit`` is
the same function.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from survey.questionnaire import QUESTIONNAIRE, Item


@dataclass(frozen=True)
class KitFiles:
    forms_text: Path
    codebook: Path


_FORM_TYPE = {
    "scale": "Multiple choice",
    "frequency": "Multiple choice",
    "count": "Short answer",
    "choice": "Multiple choice",
    "multi": "Checkboxes",
    "yesno": "Multiple choice",
    "number": "Short answer (number)",
    "text": "Short answer",
}


def _kit_blocks(category: str) -> list[tuple[str, list[Item]]]:
    """Items grouped the way they are pasted: a grid is one question, the rest one each."""
    blocks: list[tuple[str, list[Item]]] = []
    for it in QUESTIONNAIRE:
        if it.grid is not None and blocks and blocks[-1][1][0].grid == it.grid:
            blocks[-1][1].append(it)
        else:
            blocks.append((it.section.format(category=category), [it]))
    return blocks


def forms_text(category: str) -> str:
    """The wording, ready to paste into Google Forms or Microsoft Forms."""
    out = [
        f"Social Scorecard standard questionnaire — category: {category}",
        "",
        "Paste each question exactly as written: the import recognises the questions by their",
        "wording (numbering like '3. ' and a trailing ' *' are fine). Make no question required",
        "except consent. Turn on 'Collect email addresses'. Add the member number as a short",
        "answer and pre-fill it per member (Google Forms: Get pre-filled link; Microsoft Forms:",
        "a URL parameter), so answers match members even when the email differs.",
        "",
    ]
    section = None
    for number, (sec, block) in enumerate(_kit_blocks(category), start=1):
        if sec != section:
            section = sec
            out += [f"== {sec} ==", ""]
        first = block[0]
        if first.grid is not None:
            out.append(f"{number}. {first.grid.title.format(category=category)}")
            out.append("   Type: Multiple choice grid (Microsoft Forms: Likert)")
            if first.grid.help:
                out.append(f"   Description: {first.grid.help}")
            out.append("   Rows:")
            out += [f"     {it.row_label(category)}" for it in block]
            out.append("   Columns:")
            out += [f"     {o.label}" for o in first.options]
        else:
            out.append(f"{number}. {first.text(category)}")
            kind = _FORM_TYPE[first.kind]
            if first.id == "nps":
                kind = "Linear scale 0 to 10 (Microsoft Forms: Net Promoter Score)"
            out.append(f"   Type: {kind}")
            if first.help:
                out.append(f"   Description: {first.help}")
            if first.kind in ("scale", "choice", "multi", "yesno") and first.id != "nps":
                out.append("   Options:")
                out += [f"     {o.label}" for o in first.options]
            elif first.kind == "count":
                # Short answer online; on paper or as a dropdown, offer the bands.
                out.append("   Bands: " + " | ".join(o.label for o in first.options))
        out.append("")
    return "\n".join(out).rstrip("\n") + "\n"


CODEBOOK_HEADER = (
    "item_id",
    "component",
    "kind",
    "section",
    "form_header",
    "question",
    "grid_title",
    "grid_row",
    "network",
    "ladder",
    "option_labels",
    "option_values",
)


def _num(value: float | None) -> str:
    if value is None:
        return ""
    return str(int(value)) if float(value).is_integer() else str(value)


def write_kit(directory: Path | str, category: str) -> KitFiles:
    """Write the paste-ready wording and the codebook CSV into ``directory``."""
    folder = Path(directory)
    folder.mkdir(parents=True, exist_ok=True)
    text_path = folder / "questionnaire_forms.txt"
    text_path.write_text(forms_text(category), encoding="utf-8", newline="\n")
    book = folder / "questionnaire_codebook.csv"
    # utf-8-sig: Excel then shows en dashes and accents correctly when the file is double-clicked.
    with book.open("w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(CODEBOOK_HEADER)
        for it in QUESTIONNAIRE:
            writer.writerow(
                (
                    it.id,
                    it.component,
                    it.kind,
                    it.section.format(category=category),
                    it.header(category),
                    it.text(category),
                    "" if it.grid is None else it.grid.title.format(category=category),
                    it.row_label(category) or "",
                    it.network or "",
                    it.ladder or "",
                    " | ".join(o.label for o in it.options),
                    " | ".join(_num(o.value) for o in it.options),
                )
            )
    return KitFiles(forms_text=text_path, codebook=book)
