"""Danish party letters (listebogstaver) and the parties they stand for: the one table the
pages use to name a party that the minutes give by its letter only ("A", "Ø")."""

from __future__ import annotations

# The national parties' letters as the Valgnævn assigns them; the same letter names the same
# party's list in a municipal election. A letter not here is a local list, named by its letter.
PARTY_NAMES: dict[str, str] = {
    "A": "Socialdemokratiet",
    "B": "Radikale Venstre",
    "C": "Det Konservative Folkeparti",
    "D": "Nye Borgerlige",
    "F": "SF – Socialistisk Folkeparti",
    "I": "Liberal Alliance",
    "K": "Kristendemokraterne",
    "M": "Moderaterne",
    "O": "Dansk Folkeparti",
    "Q": "Frie Grønne",
    "V": "Venstre",
    "Æ": "Danmarksdemokraterne",
    "Ø": "Enhedslisten",
    "Å": "Alternativet",
}


def party_name(letter: str) -> str:
    """The party's name for its letter; '' for an unknown letter (a local list) or none."""
    return PARTY_NAMES.get((letter or "").strip().upper(), "")


def party_label(letter: str) -> str:
    """'A (Socialdemokratiet)'; a local list's letter alone."""
    letter = (letter or "").strip()
    name = party_name(letter)
    return f"{letter} ({name})" if name else letter
