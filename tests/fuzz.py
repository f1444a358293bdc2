"""The long fuzz run (issue 15): `make fuzz`, or `python -m tests.fuzz` with the test settings.

    python -m tests.fuzz [--requests 10000] [--inputs 20000] [--time-limit 20] [--seed 0]

Runs the two fuzzers of the test suite with more examples than `make test` gives them:
tests/test_fuzz.py sends `--requests` fuzzed HTTP requests to every URL pattern (through all
middleware, against the seeded test database) and fails on any 5xx or traceback;
tests/parsing/test_fuzz_parser.py reads the hostile PDFs and `--inputs` generated files under a
`--time-limit` budget (the web's 20 s by default) and fails on any input that is neither read nor
refused with a ParseError, or that runs past the budget unrefused. Each prints its counts (and
the parser its slowest input); the exit code is pytest's. The same seed gives the same run.
"""

from __future__ import annotations

import argparse
import os
import sys


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m tests.fuzz", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--requests", type=int, default=10_000, help="HTTP requests (10,000)")
    parser.add_argument("--inputs", type=int, default=20_000, help="parser inputs (20,000)")
    parser.add_argument(
        "--time-limit", type=float, default=20, help="seconds per parser input (the web's 20)"
    )
    parser.add_argument("--seed", type=int, default=0, help="another, as repeatable, run")
    args = parser.parse_args(argv)
    os.environ.update(
        FUZZ_EXAMPLES=str(args.requests),
        FUZZ_PARSER_INPUTS=str(args.inputs),
        FUZZ_TIME_LIMIT=str(args.time_limit),
        FUZZ_SEED=str(args.seed),
    )
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "archive.test_settings")
    import pytest

    return pytest.main(
        [
            "-q",
            "-s",
            "-p",
            "no:cacheprovider",
            "tests/test_fuzz.py::test_fuzz_no_5xx_and_no_traceback",
            "tests/parsing/test_fuzz_parser.py::"
            "test_fuzz_every_input_is_read_or_refused_within_the_budget",
        ]
    )


if __name__ == "__main__":
    sys.exit(main())
