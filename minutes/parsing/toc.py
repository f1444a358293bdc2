"""Tables of contents: blanked out before the items are looked for."""

from __future__ import annotations

from .headings import BARE_NUMBER, WEAK_HEADING
from .items import title_after
from .noise import TOC_HEADING, TOC_LEADER, Line, is_toc_entry
from .vocabulary import ITEM_HEADING, part_marker


def drop_toc(lines: list[Line]) -> list[Line]:
    """Blank out tables of contents: dotted-leader lines, and the block under a TOC heading up to
    where the entries end (after leader lines) or the item numbering starts again."""
    leaders = {index for index, line in enumerate(lines) if _toc_leader_line(line)}
    result = [
        Line(line.no, line.page, "") if i in leaders else line for i, line in enumerate(lines)
    ]
    for start, line in enumerate(result):
        if not TOC_HEADING.match(line.stripped):
            continue
        seen_numbers: set[int] = set()
        stop = None
        leader_seen = False
        for index in range(start + 1, len(result)):
            text = result[index].stripped
            if index in leaders:
                leader_seen = True
                continue
            if not text or text == "\f":
                continue
            if leader_seen and not is_toc_entry(text) and part_marker(text) is not True:
                # Entries with dotted leaders are over: the first other line is the body.
                stop = index
                break
            if ITEM_HEADING.match(text):
                # TOCs list titles (seed style) or "N. Titel"; a "Punkt N" heading is the body.
                stop = index
                break
            weak = WEAK_HEADING.match(text)
            bare = BARE_NUMBER.match(text)
            if bare and title_after(result, index + 1) is None:
                bare = None
            number = int((weak or bare)["number"]) if (weak or bare) else None
            if number is not None and number in seen_numbers:
                stop = index
                break
            if number is not None:
                seen_numbers.add(number)
            if index - start > 400:
                break
        if stop is None:
            # Nothing restarts: a list of items, not a table of contents. Only the heading goes.
            result[start] = Line(line.no, line.page, "")
            continue
        for index in range(start, stop):
            if result[index].text != "\f":
                result[index] = Line(result[index].no, result[index].page, "")
        break
    return result


def _toc_leader_line(line: Line) -> bool:
    text = line.stripped
    # The cheap test first: TOC_LEADER needs three dots, an ellipsis or underscores.
    if len(text) >= 250 or not (
        "..." in text or "…" in text or "____" in text or text.count(".") >= 3
    ):
        return False
    return bool(TOC_LEADER.search(text))
