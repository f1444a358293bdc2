"""Regenerate the word list that splits compound words (minutes/compounds.py).

    apt-get install hunspell-da          # Stavekontrolden's dictionary, as LibreOffice ships it
    python manage.py compound_words      # /usr/share/hunspell/da_DK.dic + the archive's titles

The list holds the words the dictionary marks as a compound's last part (flag 39) and as a
first part with its linking letter (flags 29 -s-, 30 -e-, 31 none), plus the words of the
archive's own item titles that stand in at least two items and the dictionary lacks (the
archive's names for its subjects), letters only, 3 to 20 of them, sorted, written gzipped
without a timestamp so the same input gives the same bytes. Items already stored keep their
parts until they are reparsed.
"""

from __future__ import annotations

import gzip
import re
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from minutes.compounds import WORDS_FILE

DICTIONARY = Path("/usr/share/hunspell/da_DK.dic")
_WORD = re.compile(r"[a-zæøåéü]{3,20}")


# Stavekontrolden's compound flags (da_DK.aff): 39 "ord sidst i sammensætning" (a last part),
# 29, 30 and 31 a first part with the linking -s-, -e- or none.
LAST_FLAG = "39"
FIRST_FLAGS = {"29": "s", "30": "e", "31": ""}


def dictionary_words(path: Path) -> tuple[set[str], set[str]]:
    """(last parts, first parts with their linking letter) of a hunspell .dic file with
    Stavekontrolden's flags: one word a line, its numeric flags after a '/'."""
    heads: set[str] = set()
    firsts: set[str] = set()
    with path.open(encoding="utf-8") as handle:
        next(handle, None)  # the count of entries
        for line in handle:
            word, _, flags = line.strip().partition("/")
            word = word.lower()
            if not _WORD.fullmatch(word):
                continue
            found = set(flags.split(","))
            if LAST_FLAG in found:
                heads.add(word)
            firsts.update(word + link for flag, link in FIRST_FLAGS.items() if flag in found)
    return heads, firsts


def archive_words(min_items: int = 2) -> set[str]:
    """The words of item titles (as written, lower case) that stand in `min_items` items."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT word FROM ts_stat('SELECT to_tsvector(''simple'', title) "
            "FROM minutes_agendaitem') WHERE ndoc >= %s",
            [min_items],
        )
        return {w for (w,) in cursor.fetchall() if _WORD.fullmatch(w)}


def write_words(heads: set[str], firsts: set[str], path: Path = WORDS_FILE) -> None:
    """One word a line: "h word" a last part, "f word" a first part with its linking letter."""
    lines = sorted([f"h {w}\n" for w in heads] + [f"f {w}\n" for w in firsts])
    path.write_bytes(gzip.compress("".join(lines).encode("utf-8"), compresslevel=9, mtime=0))


class Command(BaseCommand):
    help = "Regenerate minutes/data/danish_words.txt.gz from a Danish hunspell dictionary and the archive's titles."

    def add_arguments(self, parser):
        parser.add_argument("--dic", type=Path, default=DICTIONARY, help="hunspell .dic file")
        parser.add_argument(
            "--no-archive", action="store_true", help="the dictionary alone, not the titles"
        )
        parser.add_argument("--output", type=Path, default=WORDS_FILE)

    def handle(self, *args, dic: Path, no_archive: bool, output: Path, **options):
        if not dic.exists():
            raise CommandError(
                f"{dic} findes ikke: installér ordbogen (apt-get install hunspell-da) "
                "eller angiv --dic"
            )
        heads, firsts = dictionary_words(dic)
        added = set()
        if not no_archive:
            # The archive's words the dictionary lacks, as last and first parts (no linking
            # letter: the dictionary's flags say which one a word takes, the titles do not).
            added = {w for w in archive_words() if len(w) >= 4} - heads
            heads |= added
            firsts |= added
        write_words(heads, firsts, output)
        self.stdout.write(
            f"{len(heads)} sidste og {len(firsts)} første led ({len(added)} fra arkivets "
            f"titler) → {output}"
        )
