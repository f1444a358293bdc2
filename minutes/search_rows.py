"""The result rows of a search page, ranked and read in one statement.

The ranking SQL (search.Search.page_sql) gives the ids of a page with the keys they are ordered
by; the same statement joins them to the items with their meeting, committee, municipality and
case, as `AgendaItem.objects.with_context()` reads them (the columns that only feed the search
vector left out), and the model instances are built from those rows: one round trip for the
page instead of one for the ids and one for the rows.
"""

from __future__ import annotations

from typing import Any

from django.db import DEFAULT_DB_ALIAS, connection
from django.db.models import Model

from .models import AgendaItem, Case, Committee, Meeting, Municipality
from .querysets import SEARCH_ONLY_FIELDS

# (model, the attnames read): as with_context() selects them, the item's id and meeting first.
_PARTS: list[tuple[type[Model], list[str]]] = [
    (
        AgendaItem,
        [f.attname for f in AgendaItem._meta.concrete_fields if f.name not in SEARCH_ONLY_FIELDS],
    ),
    (Meeting, [f.attname for f in Meeting._meta.concrete_fields]),
    (Committee, [f.attname for f in Committee._meta.concrete_fields]),
    (Municipality, [f.attname for f in Municipality._meta.concrete_fields]),
    (Case, [f.attname for f in Case._meta.concrete_fields]),
]


def _columns() -> str:
    out = []
    for model, names in _PARTS:
        fields = {f.attname: f for f in model._meta.concrete_fields}
        out += [f'"{model._meta.db_table}"."{fields[name].column}"' for name in names]
    return ", ".join(out)


def ranked_rows(page_sql: str, params: list[Any], order: str, limit: int) -> list[AgendaItem]:
    """The items of `page_sql` (item_id and its order keys, at most `limit`) in `order`, with
    their context."""
    item, meeting, committee = (m._meta.db_table for m in (AgendaItem, Meeting, Committee))
    municipality, case = Municipality._meta.db_table, Case._meta.db_table
    sql = f"""
        SELECT {_columns()}
        FROM ({page_sql}) AS ranked
        JOIN "{item}" ON "{item}".id = ranked.item_id
        JOIN "{meeting}" ON "{meeting}".id = "{item}".meeting_id
        JOIN "{committee}" ON "{committee}".id = "{meeting}".committee_id
        JOIN "{municipality}" ON "{municipality}".id = "{committee}".municipality_id
        LEFT JOIN "{case}" ON "{case}".id = "{item}".case_id
        ORDER BY {", ".join(f"ranked.{key.strip()}" for key in order.split(","))}
        LIMIT %s
    """
    with connection.cursor() as cursor:
        cursor.execute(sql.strip(), [*params, limit])
        fetched = cursor.fetchall()
    items = []
    for values in fetched:
        built = []
        start = 0
        for model, names in _PARTS:
            part = values[start : start + len(names)]
            start += len(names)
            built.append(
                model.from_db(DEFAULT_DB_ALIAS, names, part) if part[0] is not None else None
            )
        item, meeting, committee, municipality, case = built
        committee.municipality = municipality
        meeting.committee = committee
        item.meeting = meeting
        item.case = case
        items.append(item)
    return items
