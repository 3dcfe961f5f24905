"""Decide what each column of a survey export feeds: an item, an identity role, or nothing.

In order: the user's mapping (``--map``, ``--mapping FILE`` or the profile saved for files with
the same headers) wins; then the tool's own columns (timestamps, ids, IP addresses: used or
dropped); then the standard questionnaire's wording (see ``survey.item_match``); then common
names for a member id, an e-mail or a time; what is left is kept raw (``raw:<header>`` answers)
and listed in a warning, so nothing a respondent wrote is lost.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from scorecard.errors import ScorecardError
from survey.answer_multi import MultiOptions
from survey.answers import RAW_PREFIX, Target
from survey.dialect_meta import EMAIL, MEMBER_ID, ROLES, generic_role, name_key, role_of
from survey.dialects import Layout, SourceColumn
from survey.item_match import WordingIndex, option_target, wording_key
from survey.mapping_toml import SurveyMapping
from survey.questionnaire import QUESTIONNAIRE, Item
from survey.readers import Cell

IGNORE = "ignore"
RAW = "raw"
_SUB_COLUMN = re.compile(r"^(.*\S)\s*\[([^\[\]]+)\]$")
_ITEMS = {it.id: it for it in QUESTIONNAIRE}


@dataclass(frozen=True)
class ColumnPlan:
    column: SourceColumn
    role: str | None = None  # submitted_at | email | member_id
    target: Target | None = None  # the answers it holds
    dropped: bool = False  # the tool's own metadata, or the user said "ignore"
    chosen: bool = False  # the user's mapping decided it

    @property
    def spec(self) -> str:
        """The plan as a mapping file writes it."""
        if self.role:
            return self.role
        if self.target is None:
            return IGNORE
        if self.target.is_raw:
            return RAW
        if self.target.per_option:
            return f"{self.target.item_id}:{self.target.option or self.target.option_label}"
        return self.target.item_id


def resolve_item_id(name: str) -> Item:
    """An item by id, or by an unambiguous end of one ("expertise" for k_expertise)."""
    name = name.strip()
    if name in _ITEMS:
        return _ITEMS[name]
    ends = [it for it in QUESTIONNAIRE if it.id.split("_", 1)[-1] == name]
    if len(ends) == 1:
        return ends[0]
    raise ScorecardError(
        f"unknown item {name!r}"
        + (f" (did you mean {', '.join(i.id for i in ends)}?)" if ends else "")
        + "; see: scorecard questionnaire --json"
    )


def plan_for_spec(column: SourceColumn, spec: str, user: SurveyMapping) -> ColumnPlan:
    """A plan from a user's target: item id, item:option, a role, ignore or raw."""
    spec = spec.strip()
    if spec in ROLES:
        return ColumnPlan(column, role=spec, chosen=True)
    if spec == IGNORE:
        return ColumnPlan(column, dropped=True, chosen=True)
    if spec == RAW:
        return ColumnPlan(column, target=Target(RAW_PREFIX + column.display), chosen=True)
    name, _, option = spec.partition(":")
    it = resolve_item_id(name)
    if option:
        if it.kind != "multi":
            raise ScorecardError(f"{spec!r}: {it.id} is not a multi-select item")
        return ColumnPlan(column, target=_option(it, option, user), chosen=True)
    return ColumnPlan(column, target=Target(it.id), chosen=True)


def _option(it: Item, text: str, user: SurveyMapping) -> Target:
    """A per-option column's target; the user's [values] may name codes (``SQ001``)."""
    named = user.values_for(it.id).get(text)
    target = option_target(it, str(named) if isinstance(named, str) else text)
    return replace(target, option_label=text) if target.option is None else target


def _user_spec(column: SourceColumn, user: SurveyMapping) -> tuple[str | None, str | None]:
    """(target, sub-column) the user's mapping gives this column, by any of its names."""
    if not user.columns:
        return None, None
    names = column.names()
    for name in names:
        if name in user.columns:
            return user.columns[name], None
    by_key = {name_key(k): v for k, v in user.columns.items()}
    for name in names:
        if name_key(name) in by_key:
            return by_key[name_key(name)], None
    for name in names:  # "Q12[SQ001]" under a mapping of "Q12"
        m = _SUB_COLUMN.match(name)
        if m and name_key(m.group(1)) in by_key:
            return by_key[name_key(m.group(1))], m.group(2)
    return None, None


def resolve_columns(
    layout: Layout, index: WordingIndex, user: SurveyMapping, sample: list[list[Cell]]
) -> tuple[list[ColumnPlan], list[str]]:
    """Every column's plan, and warnings about what could not be decided well."""
    warnings: list[str] = []
    runs = _option_runs(layout) if layout.dialect == "typeform" else {}
    plans: list[ColumnPlan] = []
    for col in layout.columns:
        spec, sub = _user_spec(col, user)
        if spec is not None and sub is not None:
            plan = plan_for_spec(col, spec, user)
            if plan.target is not None and _ITEMS.get(plan.target.item_id) is not None:
                it = _ITEMS[plan.target.item_id]
                if it.kind != "multi":
                    raise ScorecardError(
                        f"{col.display}: {spec!r} is not a multi-select item, so its "
                        "sub-columns need a line each in [columns]"
                    )
                plan = replace(plan, target=_option(it, sub, user))
            plans.append(plan)
        elif spec is not None:
            plans.append(plan_for_spec(col, spec, user))
        elif col.index in runs:
            plans.append(ColumnPlan(col, target=runs[col.index]))
        else:
            plans.append(_auto(layout.dialect, col, index, sample))
    plans = _one_per_role_and_item(plans, warnings)
    for plan in plans:
        t = plan.target
        if t is not None and t.per_option and t.option is None and plan.chosen:
            warnings.append(
                f"{plan.column.display}: {t.option_label!r} is not an option of {t.item_id}; "
                f"ticks are kept raw (name it in [values.{t.item_id}])"
            )
    return plans, warnings


def _auto(
    dialect: str, col: SourceColumn, index: WordingIndex, sample: list[list[Cell]]
) -> ColumnPlan:
    for name in (col.code, col.question, col.header):
        if name:
            own, role = role_of(dialect, name)
            if own:
                return ColumnPlan(col, role=role, dropped=role is None)
    target = index.match(col.question, col.sub)
    if target is not None:
        if target.item_id == MEMBER_ID:  # the hidden member-number question
            return ColumnPlan(col, role=MEMBER_ID)
        return ColumnPlan(col, target=target)
    role = generic_role(col.question) or generic_role(col.header)
    if role is None and dialect in ("kobo", "odk"):  # "group/email", "group-member_id"
        role = generic_role(re.split(r"[/-]", col.header)[-1])
    if role == EMAIL and not _looks_like_emails(col.index, sample):
        role = None
    if role is not None:
        return ColumnPlan(col, role=role)
    return ColumnPlan(col, target=Target(RAW_PREFIX + col.display))


def _looks_like_emails(index: int, sample: list[list[Cell]]) -> bool:
    cells = [str(r[index]).strip() for r in sample if index < len(r) and r[index] not in (None, "")]
    return not cells or sum("@" in c for c in cells) * 2 >= len(cells)


def _option_runs(layout: Layout) -> dict[int, Target]:
    """Typeform: a multi-select is one column per option headed by the option's label only."""
    out: dict[int, Target] = {}
    for it in QUESTIONNAIRE:
        if it.kind != "multi":
            continue
        options = MultiOptions(it)
        run: list[SourceColumn] = []
        for col in [*layout.columns, None]:
            known = col is not None and options.code_for(col.header) is not None
            if known:
                run.append(col)  # type: ignore[arg-type]
                continue
            if len(run) >= 2:
                for member in run:
                    out[member.index] = option_target(it, member.header)
                if col is not None and wording_key(col.header) in ("other", "other please specify"):
                    out[col.index] = Target(it.id, None, col.header, per_option=True)
            run = []
    return out


def _one_per_role_and_item(plans: list[ColumnPlan], warnings: list[str]) -> list[ColumnPlan]:
    """A role and a single-column item are fed by one column: the first; later ones kept raw."""
    roles: dict[str, str] = {}
    items: dict[str, str] = {}
    per_option = {p.target.item_id for p in plans if p.target is not None and p.target.per_option}
    out: list[ColumnPlan] = []
    for plan in plans:
        col, t = plan.column, plan.target
        if plan.role is not None:
            if plan.role in roles:  # keep the second one's cells, as answers to nothing
                if plan.chosen:
                    warnings.append(
                        f"{col.display}: {roles[plan.role]!r} already gives the {plan.role}; "
                        "this column is kept raw"
                    )
                plan = replace(plan, role=None, target=Target(RAW_PREFIX + col.display))
            else:
                roles[plan.role] = col.display
        elif t is not None and not t.is_raw and not t.per_option:
            if t.item_id in per_option and _ITEMS[t.item_id].kind == "multi":
                # KoboToolbox: "c_networks" (space-joined) beside "c_networks/facebook" 1/0 columns
                plan = replace(plan, target=None, dropped=True)
            elif t.item_id in items:
                warnings.append(
                    f"{col.display}: {items[t.item_id]!r} already gives {t.item_id}; "
                    "this column is kept raw"
                )
                plan = replace(plan, target=Target(RAW_PREFIX + col.display))
            else:
                items[t.item_id] = col.display
        out.append(plan)
    return out


def parse_map_options(options: list[str], layout: Layout) -> dict[str, str]:
    """``--map "Header=item_id"`` options as a [columns] table, checking the header exists."""
    known: dict[str, str] = {}
    for col in layout.columns:
        for name in col.names():
            known.setdefault(name_key(name), col.display)
    out: dict[str, str] = {}
    for option in options:
        if "=" not in option:
            raise ScorecardError(f'--map "{option}": expected "Column header=item_id"')
        header, target = (part.strip() for part in option.rsplit("=", 1))
        if name_key(header) not in known:
            m = _SUB_COLUMN.match(header)
            names = ", ".join(c.display for c in layout.columns[:10])
            if not any(name_key(n).startswith(name_key(header) + "[") for n in known) and not m:
                raise ScorecardError(
                    f'--map "{option}": the file has no column "{header}" (columns: {names}'
                    f"{' …' if len(layout.columns) > 10 else ''})"
                )
        if target not in (*ROLES, IGNORE, RAW):
            resolve_item_id(target.partition(":")[0])  # fails with a clear message
        out[header] = target
    return out
