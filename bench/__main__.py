"""`python -m bench`: load a synthetic archive, time the search and the pages, save the figures.

Run through `make bench` (ITEMS=…, PARTS=…, SEED=…), which points DATABASE_URL at the
`referatarkivet_bench` database; this refuses any database whose name does not end in `_bench`.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
import warnings
from pathlib import Path

PARTS = ("load", "search", "pages", "live")
RESULTS = Path(__file__).resolve().parent / "results"


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--items", type=int, default=200_000, help="dagsordenspunkter i korpusset")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--parts",
        default=",".join(PARTS),
        help="kommasepareret: load,search,pages,live (de sidste genbruger et indlæst korpus; "
        "live: søgesiden gennem gunicorn)",
    )
    parser.add_argument(
        "--workers", type=int, default=2, help="processer ved indlæsning (standard 2)"
    )
    parser.add_argument("--repeat", type=int, default=5, help="målinger pr. søgning/side")
    parser.add_argument("--out", type=Path, default=RESULTS, help="mappe til resultatfilerne")
    parser.add_argument(
        "--fresh",
        action="store_true",
        help="tøm databasen og indlæs korpusset igen, også hvis det allerede findes",
    )
    parser.add_argument("--no-save", action="store_true", help="skriv ikke resultatfiler")
    parser.add_argument(
        "--peer",
        choices=["tantivy"],
        help="kør samme forespørgsler i tantivy, skiftevis med produktet (kræver pakken tantivy)",
    )
    args = parser.parse_args(argv)
    args.parts = [p.strip() for p in args.parts.split(",") if p.strip()]
    unknown = set(args.parts) - set(PARTS)
    if unknown:
        parser.error(f"ukendte dele: {', '.join(sorted(unknown))} (brug {', '.join(PARTS)})")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "archive.settings")
    import django

    # Static files are not collected for a benchmark; whitenoise's warning about it is noise.
    warnings.filterwarnings("ignore", message="No directory at", category=UserWarning)
    django.setup()
    from django.conf import settings

    # Measure what production runs: no per-query logging, no template debug info.
    settings.DEBUG = False

    from . import load, report

    database = load.check_database()
    print(f"Benchmark mod databasen '{database}' (seed {args.seed}, {args.items} punkter)")
    figures: dict = {"started_at": time.strftime("%Y-%m-%dT%H:%M:%S%z")}
    if "load" in args.parts:
        if args.fresh:
            load.reset_archive()
        figures["load"] = load.load(args.seed, args.items, workers=args.workers)
    else:
        stored = load.stored_corpus()
        if not (load.matches(stored, args.seed, args.items) and stored.get("complete")):
            print(
                "Databasen indeholder ikke det ønskede korpus; kør først med --parts load.",
                file=sys.stderr,
            )
            return 2
        figures["load"] = {**stored["load"], "reused": True}
    figures["corpus"] = report.corpus_figures(args.seed, args.items)

    if "search" in args.parts:
        from . import queries

        query_set = queries.build_query_set(args.seed)
        peer = None
        if args.peer:
            from . import peer as peer_module

            if not peer_module.available():
                print("tantivy er ikke installeret: make bench PEER=tantivy", file=sys.stderr)
                return 2
            peer = peer_module.Peer()
        print(f"Søgning: {len(query_set)} forespørgsler × {args.repeat} varme kørsler …")
        figures["search"] = queries.run_query_set(query_set, repeat=args.repeat, peer=peer)
    if "live" in args.parts:
        from . import live, queries

        print("Søgesiden gennem gunicorn: /soeg/ for hver forespørgsel …")
        figures["live"] = live.run_live(queries.build_query_set(args.seed), repeat=args.repeat)
    if "pages" in args.parts:
        from . import pages

        print("Sider: mødesider og sagssider …")
        figures["pages"] = pages.run_pages(args.seed, repeat=args.repeat)

    result = report.assemble(figures, parts=args.parts)
    print(report.table(result))
    snippet = report.markdown(result)
    print("\nREADME-uddrag:\n")
    print(snippet)
    if not args.no_save:
        path = report.save(result, args.out)
        print(f"\nGemt: {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
