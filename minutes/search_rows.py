"""The result rows of a search page: the ranked ids, then the rows read by a prepared statement.

The ranking SQL (search.Search.page_sql) gives the ids of a page in order; a second statement
joins them to the items with their meeting, committee, municipality and case, as
`AgendaItem.objects.with_context()` reads them (the columns that only feed the search vector
left out), and the model instances are built from those rows. The two were one statement,
which saved a round trip but had PostgreSQL plan the five-table join with the ranking on every
search (0.85 ms, where running it takes 0.1); apart, the join is a prepared statement planned
once per connection (minutes.prepared), and the ranking is planned for its words as before.
"""

from __future__ import annotations

from django.db import DEFAULT_DB_ALIAS
from django.db.models import Model

from .models import AgendaItem, Case, Committee, Meeting, Municipality
from .prepared import prepared_cursor
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


def rows_in_order(ids: list[int]) -> list[AgendaItem]:
    """The items with these ids, in this order, with their context."""
    if not ids:
        return []
    item, meeting, committee = (m._meta.db_table for m in (AgendaItem, Meeting, Committee))
    municipality, case = Municipality._meta.db_table, Case._meta.db_table
    sql = f"""
        SELECT {_columns()}
        FROM unnest(%s::bigint[]) WITH ORDINALITY AS ranked (item_id, n)
        JOIN "{item}" ON "{item}".id = ranked.item_id
        JOIN "{meeting}" ON "{meeting}".id = "{item}".meeting_id
        JOIN "{committee}" ON "{committee}".id = "{meeting}".committee_id
        JOIN "{municipality}" ON "{municipality}".id = "{committee}".municipality_id
        LEFT JOIN "{case}" ON "{case}".id = "{item}".case_id
        ORDER BY ranked.n
    """
    with prepared_cursor() as cursor:
        cursor.execute(sql.strip(), [ids])
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
