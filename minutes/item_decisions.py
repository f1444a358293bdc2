"""What an agenda item ended in, read for many items at once: the search results, the search
CSV/JSON and the committee export show it beside each item.

An item's decision is the one taken at its own meeting (the minutes quote earlier committees'
decisions too); without one, the latest quoted. An item with no decision yet (an agenda, or a
decision not recorded) shows its Indstilling instead.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.db.models.functions import Lower, Trim

from .models import AgendaItem, Decision, Section
from .parsing.conventions import RECOMMENDATION_HEADINGS

# The first line a result shows: long enough for a sentence, short enough for a phone.
FIRST_LINE_CHARS = 220


@dataclass
class ItemOutcome:
    decision: Decision | None
    recommendation: str

    @property
    def decision_first_line(self) -> str:
        return first_line(self.decision.text) if self.decision else ""

    @property
    def recommendation_first_line(self) -> str:
        return first_line(self.recommendation)


def first_line(text: str, limit: int = FIRST_LINE_CHARS) -> str:
    """The first non-empty line of a text, cut at a word before `limit` characters with "…"."""
    line = next((ln.strip() for ln in (text or "").splitlines() if ln.strip()), "")
    line = re.sub(r"\s+", " ", line)
    if len(line) <= limit:
        return line
    cut = line[:limit].rsplit(" ", 1)[0].rstrip(" ,;:–-")
    return cut + " …"


def _chosen(decisions: list[Decision]) -> Decision | None:
    """The decision of the item's own meeting, else the latest one the minutes quote."""
    own = [d for d in decisions if d.this_meeting]
    if own:
        return own[-1]
    if not decisions:
        return None
    return max(decisions, key=lambda d: (d.date or date.min, d.position))


def item_outcomes(items: Iterable[AgendaItem]) -> dict[int, ItemOutcome]:
    """item id → its decision and Indstilling, in two queries whatever the number of items."""
    ids = [item.pk for item in items]
    if not ids:
        return {}
    decisions: dict[int, list[Decision]] = {}
    for decision in Decision.objects.filter(item_id__in=ids).order_by("item_id", "position"):
        decisions.setdefault(decision.item_id, []).append(decision)
    recommendations: dict[int, list[str]] = {}
    sections = (
        Section.objects.alias(key=Lower(Trim("heading")))
        .filter(item_id__in=ids, key__in=sorted(RECOMMENDATION_HEADINGS))
        .order_by("item_id", "position")
        .values_list("item_id", "text")
    )
    for item_id, text in sections:
        recommendations.setdefault(item_id, []).append(text)
    return {
        item_id: ItemOutcome(
            decision=_chosen(decisions.get(item_id, [])),
            recommendation="\n\n".join(recommendations.get(item_id, [])),
        )
        for item_id in ids
    }
