"""What the parser does at its limits: it says so, it never drops content silently."""

from __future__ import annotations

import re

from minutes.parsing import parse
from minutes.parsing.items import MAX_CANDIDATES


def test_items_above_the_limit_are_a_warning_not_a_silent_loss():
    text = "REFERAT Byrådet 1. januar 2020\n\n" + "".join(
        f"{n}. Punkt om sag {n}\nSagsnr. 17/{n}\nBeslutning: Godkendt\n\n"
        for n in range(1, MAX_CANDIDATES + 101)
    )
    doc = parse(text.encode("utf-8"), filename="byraad.txt", municipality="Aarhus")
    assert len(doc.items) == MAX_CANDIDATES
    (warning,) = [w for w in doc.warnings if "mulige punktoverskrifter" in w]
    assert re.search(
        r"har 1\.600 mulige punktoverskrifter; kun de første 1\.500 \(til punkt 1500\)", warning
    )
    # The items after the limit stay as text of the last one: nothing is lost.
    last = doc.items[-1]
    kept = "\n".join([s.text for s in last.sections] + [d.text for d in last.decisions])
    assert "Punkt om sag 1600" in kept


def test_a_document_within_the_limit_has_no_such_warning():
    text = "REFERAT Byrådet 1. januar 2020\n\n" + "".join(
        f"{n}. Punkt om sag {n}\nSagsnr. 17/{n}\nBeslutning: Godkendt\n\n" for n in range(1, 40)
    )
    doc = parse(text.encode("utf-8"), filename="byraad.txt", municipality="Aarhus")
    assert len(doc.items) == 39
    assert not [w for w in doc.warnings if "punktoverskrifter" in w]
