"""The standard questionnaire: one definition of the items that measure the social score.

Every import, scoring rule, paper form and survey kit reads the items from here, so an item's
``id`` is a stable contract: never rename one, add a new id instead.

Components (see DESIGN.md) and the published work behind the wording:

* **knowledge** — agreement statements adapted from the opinion-leadership scale of Flynn,
  Goldsmith and Eastman (1996, J. Acad. Marketing Sci. 24(2)), the market-maven scale of Feick and
  Price (1987, J. Marketing 51(1)) and Zaichkowsky's Personal Involvement Inventory (1985, J.
  Consumer Research 12(3); revised 1994, J. Advertising 23(4)); seven-point agreement as in
  Flynn et al. Plus years in the category.
* **participation** — activities × frequency, tagged with their rung on Forrester's Social
  Technographics ladder (Li and Bernoff, *Groundswell*, 2008), so default weights can rise from
  spectating to creating; offline word of mouth sits beside the online rungs.
* **connection** — for each network, how close-knit (tight circles pass recommendations on more
  strongly: Granovetter 1973, Brown and Reingen 1987) and how public it is.
* **reach** — contacts per network as a number or a band; band edges follow Dunbar's layers
  (≈5, 15, 50, 150 close contacts, ≈500 acquaintances: Zhou, Sornette, Hill and Dunbar 2005), each
  band with a stated representative value.
* **reference** — Net Promoter (Reichheld 2003, HBR 81(12)), 0–10; reported beside S, never in it.
* **profile** — age band, consent, and the member number (a hidden or pre-filled field).

Wording is paraphrased for a loyalty-programme audience; the methodology page cites the sources.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from survey.questionnaire_kit import KitFiles

COMPONENTS = ("knowledge", "participation", "connection", "reach", "profile", "reference")
KINDS = ("scale", "frequency", "count", "choice", "multi", "yesno", "number", "text")

# Forrester's Social Technographics ladder, lowest to highest. Participation items carry their
# rung so the scoring defaults can give creating more weight than spectating.
LADDER = (
    "Inactives",
    "Spectators",
    "Joiners",
    "Collectors",
    "Critics",
    "Conversationalists",
    "Creators",
)


@dataclass(frozen=True)
class Option:
    """One answer option; ``value`` is what the scoring uses (None: no numeric meaning)."""

    label: str
    value: float | None = None
    code: str | None = None


@dataclass(frozen=True)
class Grid:
    """A grid question: several items share a title, each is one row (`Title [Row]` in Forms)."""

    id: str
    title: str  # may contain {category}
    help: str = ""


@dataclass(frozen=True)
class Network:
    key: str
    label: str
    online: bool
    phrase: str  # "on Facebook", "at work": how a question refers to it


@dataclass(frozen=True)
class Item:
    id: str
    component: str
    kind: str
    wording: str  # the standalone question; may contain {category}
    options: tuple[Option, ...] = ()
    section: str = ""
    grid: Grid | None = None
    row: str | None = None  # the row label within the grid; may contain {category}
    network: str | None = None
    ladder: str | None = None
    help: str = ""
    hidden: bool = False  # pre-filled or hidden field, not shown as a question

    def text(self, category: str) -> str:
        """The question on its own, with the category word filled in."""
        return self.wording.format(category=category)

    def header(self, category: str) -> str:
        """The column header a form tool writes for this item (`Title [Row]` for grid rows)."""
        if self.grid is not None and self.row is not None:
            return f"{self.grid.title.format(category=category)} [{self.row_label(category)}]"
        return self.text(category)

    def row_label(self, category: str) -> str | None:
        return None if self.row is None else self.row.format(category=category)

    def option(self, label: str) -> Option:
        """The option with exactly this label."""
        for opt in self.options:
            if opt.label == label:
                return opt
        raise KeyError(f"{self.id}: no option {label!r}")


def _opts(*pairs: tuple[str, float | None]) -> tuple[Option, ...]:
    return tuple(Option(label, value) for label, value in pairs)


AGREE = _opts(
    ("Strongly disagree", 1),
    ("Disagree", 2),
    ("Somewhat disagree", 3),
    ("Neither agree nor disagree", 4),
    ("Somewhat agree", 5),
    ("Agree", 6),
    ("Strongly agree", 7),
)
# Ordinal 0–4; the scoring normalises to 0–1, so the values are ranks, not times per year.
FREQUENCY = _opts(
    ("Never", 0),
    ("A few times a year", 1),
    ("Monthly", 2),
    ("Weekly", 3),
    ("Daily", 4),
)
CLOSENESS = _opts(
    ("Very loose", 1),
    ("Loose", 2),
    ("Mixed", 3),
    ("Close", 4),
    ("Very close-knit", 5),
)
PUBLICNESS = _opts(
    ("Private, one to one", 1),
    ("A small circle", 2),
    ("Mixed", 3),
    ("Mostly public", 4),
    ("Fully public", 5),
)
# Dunbar's layers as band edges; each band states the value the scoring uses for it (roughly the
# geometric middle of the band, rounded; the open top band is deliberately conservative).
REACH_BANDS = _opts(
    ("0", 0),
    ("1–5", 3),
    ("6–15", 10),
    ("16–50", 30),
    ("51–150", 100),
    ("151–500", 300),
    ("More than 500", 750),
)
YEARS = _opts(
    ("Less than a year", 0.5),
    ("1–2 years", 1.5),
    ("3–5 years", 4),
    ("6–10 years", 8),
    ("More than 10 years", 15),
)
AGE_BANDS = _opts(
    ("18–24", 21),
    ("25–34", 30),
    ("35–44", 40),
    ("45–54", 50),
    ("55–64", 60),
    ("65–74", 70),
    ("75 or older", 80),
    ("Prefer not to say", None),
)
NPS_SCALE = tuple(Option(str(v), v) for v in range(11))
YES_NO = _opts(("No", 0), ("Yes", 1))

NETWORKS = (
    Network("facebook", "Facebook", True, "on Facebook"),
    Network("instagram", "Instagram", True, "on Instagram"),
    Network("tiktok", "TikTok", True, "on TikTok"),
    Network("x", "X (Twitter)", True, "on X (Twitter)"),
    Network("linkedin", "LinkedIn", True, "on LinkedIn"),
    Network("youtube", "YouTube", True, "on YouTube"),
    Network("whatsapp", "WhatsApp", True, "on WhatsApp (chats and groups)"),
    Network("email", "Email", True, "by email"),
    Network("forums", "Online forums or communities", True, "in online forums or communities"),
    # The comma is deliberate: Sheets joins checkbox answers with ", ", so splitting must
    # respect option labels, and the standard questionnaire should exercise that.
    Network("clubs", "Clubs, societies or teams", False, "in your clubs, societies or teams"),
    Network("work", "Work", False, "at work"),
    Network("neighbourhood", "Neighbourhood", False, "in your neighbourhood"),
    Network("family", "Family and friends", False, "among your family and friends"),
)

S_START = "Before you start"
S_YOU = "You and {category}"
S_DO = "What you do"
S_NET = "Your networks"
S_REACH = "How many people"
S_ABOUT = "About you"

G_KNOW = Grid("knowledge", "How much do you agree with each statement?")
G_FREQ = Grid("participation", "How often do you do each of these about {category}?")
G_CLOSE = Grid(
    "closeness",
    "How close-knit are your contacts on each network?",
    "Very close-knit: most of them know each other well. Skip the networks you don't use.",
)
G_PUBLIC = Grid(
    "publicness",
    "How public is what you share on each network?",
    "Fully public: anyone can see it. Skip the networks you don't use.",
)

_KNOWLEDGE = (
    # id, row (statement), source
    ("k_expertise", "I know a lot about {category}"),  # subjective knowledge (Flynn & Goldsmith)
    ("k_interest", "I am very interested in {category}"),  # PII: interesting, relevant
    ("k_brand", "The brand of {category} I choose matters a lot to me"),  # PII: brand decision
    ("k_advice", "Other people come to me for advice about {category}"),  # Flynn et al.
    ("k_influence", "People I know choose {category} based on what I have told them"),  # Flynn
    ("k_maven", "Friends think of me as a good source of information about {category}"),  # F&P
)

_ACTIVITIES = (
    # id, grid row, standalone question, Technographics rung
    (
        "p_read",
        "Read reviews, blogs or forums",
        "How often do you read reviews, blogs or forums about {category}?",
        "Spectators",
    ),
    (
        "p_reviews",
        "Write reviews or ratings",
        "How often do you write reviews or ratings of {category}?",
        "Critics",
    ),
    (
        "p_photos",
        "Post photos or videos",
        "How often do you post photos or videos about {category}?",
        "Creators",
    ),
    (
        "p_posts",
        "Write posts, articles or a blog",
        "How often do you write posts, articles or a blog about {category}?",
        "Creators",
    ),
    (
        "p_comment",
        "Comment on or discuss other people's posts",
        "How often do you comment on or discuss other people's posts about {category}?",
        "Critics",
    ),
    (
        "p_share",
        "Share or forward posts, offers or emails",
        "How often do you share or forward posts, offers or emails about {category}?",
        "Conversationalists",
    ),
    (
        "p_recommend",
        "Recommend products or places to someone in person",
        "How often do you recommend {category} products or places to someone in person?",
        "Conversationalists",
    ),
    (
        "p_events",
        "Go to events, tastings or meet-ups",
        "How often do you go to {category} events, tastings or meet-ups?",
        "Joiners",
    ),
    (
        "p_organise",
        "Organise a group, club or get-together",
        "How often do you organise a group, club or get-together around {category}?",
        "Creators",
    ),
)


def _build() -> tuple[Item, ...]:
    items: list[Item] = [
        Item(
            "member_id",
            "profile",
            "text",
            "Member number (filled in for you, please leave as is)",
            section=S_START,
            hidden=True,
            help="Pre-fill this from your member list (Google Forms: Get pre-filled link).",
        ),
        Item(
            "consent",
            "profile",
            "yesno",
            "May we link your answers to your membership so we can understand our members better?",
            YES_NO,
            section=S_START,
        ),
    ]
    for item_id, row in _KNOWLEDGE:
        # Standalone, the statement itself is the question (answered on the agreement scale).
        items.append(
            Item(
                item_id,
                "knowledge",
                "scale",
                row + ".",
                AGREE,
                section=S_YOU,
                grid=G_KNOW,
                row=row,
            )
        )
    items.append(
        Item(
            "k_years",
            "knowledge",
            "choice",
            "How many years have you been interested in {category}?",
            YEARS,
            section=S_YOU,
        )
    )
    for item_id, row, wording, rung in _ACTIVITIES:
        items.append(
            Item(
                item_id,
                "participation",
                "frequency",
                wording,
                FREQUENCY,
                section=S_DO,
                grid=G_FREQ,
                row=row,
                ladder=rung,
            )
        )
    items.append(
        Item(
            "c_networks",
            "connection",
            "multi",
            "Where do you keep in touch with people? Tick all that you use.",
            tuple(Option(n.label, None, n.key) for n in NETWORKS),
            section=S_NET,
        )
    )
    for net in NETWORKS:
        items.append(
            Item(
                f"c_{net.key}_close",
                "connection",
                "scale",
                f"How close-knit are the people you are in touch with {net.phrase}?",
                CLOSENESS,
                section=S_NET,
                grid=G_CLOSE,
                row=net.label,
                network=net.key,
            )
        )
    for net in NETWORKS:
        items.append(
            Item(
                f"c_{net.key}_public",
                "connection",
                "scale",
                f"How public is what you share {net.phrase}?",
                PUBLICNESS,
                section=S_NET,
                grid=G_PUBLIC,
                row=net.label,
                network=net.key,
            )
        )
    for net in NETWORKS:
        items.append(
            Item(
                f"r_{net.key}",
                "reach",
                "count",
                f"About how many people are you in touch with {net.phrase}?",
                REACH_BANDS,
                section=S_REACH,
                network=net.key,
                help="A number, or a band such as 51–150. Leave blank if you don't use it.",
            )
        )
    items.append(
        Item(
            "nps",
            "reference",
            "scale",
            "How likely are you to recommend our {category} to a friend or colleague?",
            NPS_SCALE,
            section=S_ABOUT,
            help="0 = Not at all likely, 10 = Extremely likely",
        )
    )
    items.append(
        Item("age_band", "profile", "choice", "What is your age?", AGE_BANDS, section=S_ABOUT)
    )
    return tuple(items)


QUESTIONNAIRE: tuple[Item, ...] = _build()
_BY_ID = {it.id: it for it in QUESTIONNAIRE}


def item(item_id: str) -> Item:
    """The item with this id (KeyError names the id when there is none)."""
    try:
        return _BY_ID[item_id]
    except KeyError:
        raise KeyError(f"no questionnaire item {item_id!r}") from None


def items_for(component: str) -> tuple[Item, ...]:
    """The items of one component, in questionnaire order."""
    if component not in COMPONENTS:
        raise KeyError(f"no component {component!r}; expected one of {', '.join(COMPONENTS)}")
    return tuple(it for it in QUESTIONNAIRE if it.component == component)


def network(key: str) -> Network:
    for net in NETWORKS:
        if net.key == key:
            return net
    raise KeyError(f"no network {key!r}")


def _option_json(opt: Option) -> dict[str, Any]:
    out: dict[str, Any] = {"label": opt.label, "value": opt.value}
    if opt.code is not None:
        out["code"] = opt.code
    return out


def to_json(category: str) -> dict[str, Any]:
    """The questionnaire as `scorecard questionnaire --json` prints it."""
    return {
        "items": [
            {
                "id": it.id,
                "component": it.component,
                "text": it.text(category),
                "kind": it.kind,
                "options": [_option_json(o) for o in it.options],
            }
            for it in QUESTIONNAIRE
        ]
    }


def write_kit(directory: Path | str, category: str) -> KitFiles:
    """Write the paste-ready wording and the codebook CSV (see ``survey.questionnaire_kit``)."""
    from survey.questionnaire_kit import write_kit as _write_kit  # rendering lives apart

    return _write_kit(directory, category)
