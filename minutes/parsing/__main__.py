"""`python -m minutes.parsing FILE [--municipality NAME]`: the parse as JSON, or the error."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from . import ParseError, parse


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m minutes.parsing", description=__doc__)
    parser.add_argument("file", type=Path)
    parser.add_argument("--municipality", default=None)
    args = parser.parse_args(argv)
    try:
        data = args.file.read_bytes()
    except OSError as exc:
        print(f"{args.file}: {exc.strerror}", file=sys.stderr)
        return 1
    try:
        doc = parse(data, filename=args.file.name, municipality=args.municipality)
    except ParseError as exc:
        print(f"{args.file}: {exc}", file=sys.stderr)
        return 1
    json.dump(doc.to_json(), sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
