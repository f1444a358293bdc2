"""nDCG@10 of run_search over the judged queries in queries.json, per category.

An item is named by what stays stable across databases: municipality|committee|date|number.
A query that goes straight to a case (or lists cases) is scored on the case's items, newest
first: that is what the visitor sees next.
"""

from __future__ import annotations

import json
import math
from collections import defaultdict
from pathlib import Path

from minutes.models import AgendaItem
from minutes.search import run_search

QUERIES = json.loads((Path(__file__).with_name("queries.json")).read_text("utf-8"))["queries"]
DEPTH = 10


def item_key(item: AgendaItem) -> str:
    meeting = item.meeting
    committee = meeting.committee
    return f"{committee.municipality.name}|{committee.name}|{meeting.date}|{item.number}"


def ranked_keys(query: str) -> list[str]:
    results = run_search({"q": query})
    cases = [results.redirect_to] if results.redirect_to else list(results.cases)
    if cases:
        items = (
            AgendaItem.objects.with_context()
            .filter(case__in=cases)
            .order_by("-meeting__date", "position")[:DEPTH]
        )
        return [item_key(i) for i in items]
    return [item_key(i) for i in results.items[:DEPTH]]


def ndcg(ranked: list[str], grades: dict[str, int]) -> float:
    def dcg(gains: list[int]) -> float:
        return sum((2**g - 1) / math.log2(i + 2) for i, g in enumerate(gains[:DEPTH]))

    ideal = dcg(sorted(grades.values(), reverse=True))
    return dcg([grades.get(key, 0) for key in ranked]) / ideal if ideal else 0.0


def evaluate() -> dict[str, list[tuple[str, float]]]:
    """category → [(query, nDCG@10)]."""
    scores: dict[str, list[tuple[str, float]]] = defaultdict(list)
    for judged in QUERIES:
        score = ndcg(ranked_keys(judged["query"]), judged["grades"])
        scores[judged["category"]].append((judged["query"], score))
    return dict(scores)


def table(scores: dict[str, list[tuple[str, float]]]) -> str:
    lines = [f"{'category':<12} {'queries':>7} {'nDCG@10':>8} {'zero':>5}"]
    everything = []
    for category, rows in scores.items():
        values = [s for _q, s in rows]
        everything += values
        zero = sum(1 for s in values if s == 0)
        lines.append(f"{category:<12} {len(values):>7} {sum(values) / len(values):>8.3f} {zero:>5}")
    lines.append(f"{'all':<12} {len(everything):>7} {sum(everything) / len(everything):>8.3f}")
    return "\n".join(lines)
