"""`make loadtest`: the mixed workload (loadtest/locustfile.py) against gunicorn on loopback.

For each server configuration (worker class, workers × threads) it starts gunicorn on a free
port of 127.0.0.1, warms it up briefly, then runs locust headless at each client count for a
fixed time, and reports requests/s, p50/p95/p99 and errors per level and per kind of page. The
figures are saved with the machine and git commit under bench/results/loadtest/ (JSON per run,
LATEST.md with the newest run of each configuration). Nothing leaves the machine.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from .cpu import CpuMeter, per_request
from .server import ROOT
from .server import gunicorn as serve

OUT = ROOT / "bench" / "results" / "loadtest"
LOCUSTFILE = Path(__file__).with_name("locustfile.py")
KINDS = ["home", "meeting", "case", "search", "api"]
# Chosen by measurement (README, "Deployment"): threads wait on PostgreSQL for most of a search,
# so a few processes with threads serve more than one request per process. 3 × 8 = 24
# connections stay well below PostgreSQL's 100 (and leave room for workers and the admin).
DEFAULT_SERVERS = "gthread:3x8"


@dataclass(frozen=True)
class Server:
    worker_class: str
    workers: int
    threads: int

    @classmethod
    def parse(cls, text: str) -> Server:
        worker_class, _, size = text.partition(":")
        workers, _, threads = size.partition("x")
        return cls(worker_class, int(workers), int(threads or 1))

    @property
    def name(self) -> str:
        return f"{self.worker_class}-{self.workers}x{self.threads}"


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m loadtest", description=__doc__)
    parser.add_argument("--clients", default="50,200", help="client counts, e.g. 50,200")
    parser.add_argument("--seconds", type=int, default=20, help="seconds per level")
    parser.add_argument("--warmup", type=int, default=5, help="unmeasured seconds first")
    parser.add_argument(
        "--servers",
        default=DEFAULT_SERVERS,
        help="gunicorn configurations, worker-class:WORKERSxTHREADS, comma-separated",
    )
    parser.add_argument("--note", default="", help="saved with the figures (e.g. 'busy')")
    return parser.parse_args(argv)


def targets(folder: Path) -> Path:
    """Meeting and case URLs and search words from the archive being measured."""
    from bench.pages import _sample_urls
    from bench.queries import ZERO_HITS, common_words

    urls = _sample_urls(seed=1)
    # Common words (large result sets, the expensive searches) down to rarer ones.
    words = [word for word, _count in common_words(40)] + [ZERO_HITS]
    path = folder / "targets.json"
    path.write_text(json.dumps({**urls, "search": words}, ensure_ascii=False), encoding="utf-8")
    return path


def gunicorn(server: Server, log: Path, *, env: dict[str, str] | None = None):
    """The archive under gunicorn configured as `server` (with `env`, else this environment)."""
    options = ["--workers", str(server.workers), "--worker-class", server.worker_class]
    options += ["--threads", str(server.threads), "--timeout", "30", "--graceful-timeout", "5"]
    return serve(options + ["--log-level", "warning"], log, env=env)


def _figures(row: dict[str, str]) -> dict[str, Any]:
    requests, failures = int(row["Request Count"]), int(row["Failure Count"])
    return {
        "requests": requests,
        "errors": failures,
        "requests_per_s": round(float(row["Requests/s"]), 1),
        "p50_ms": float(row["50%"]),
        "p95_ms": float(row["95%"]),
        "p99_ms": float(row["99%"]),
        "max_ms": round(float(row["Max Response Time"])),
    }


def locust(host: str, target_file: Path, clients: int, seconds: int, prefix: Path) -> dict:
    command = [sys.executable, "-m", "locust", "-f", str(LOCUSTFILE), "--headless"]
    command += ["--users", str(clients), "--spawn-rate", str(clients), "--run-time", f"{seconds}s"]
    command += ["--host", host, "--csv", str(prefix), "--only-summary", "--stop-timeout", "5"]
    command += ["--loglevel", "ERROR"]
    env = {**os.environ, "LOADTEST_TARGETS": str(target_file)}
    meter = CpuMeter(int(host.rsplit(":", 1)[1]))
    meter.start()
    # locust exits non-zero when any request failed: the errors are part of the figures.
    subprocess.run(command, cwd=ROOT, env=env, capture_output=True, check=False)
    cpu_seconds = meter.stop()
    with open(f"{prefix}_stats.csv", encoding="utf-8") as stats:
        rows = {row["Name"]: row for row in csv.DictReader(stats)}
    total = _figures(rows["Aggregated"])
    return {
        "clients": clients,
        "seconds": seconds,
        "load_average_after": [round(x, 2) for x in os.getloadavg()],
        "total": total,
        "kinds": {kind: _figures(rows[kind]) for kind in KINDS if kind in rows},
        # CPU seconds in the level and CPU ms per request: gunicorn, PostgreSQL's backends of
        # this database, locust, and the whole machine (other users' work included).
        "cpu_seconds": cpu_seconds,
        "cpu_ms_per_request": per_request(cpu_seconds, total["requests"]),
    }


def cache_kind() -> str:
    from django.conf import settings

    return "redis" if settings.CACHES["default"]["BACKEND"].endswith("RedisCache") else "local"


def _configuration(result: dict[str, Any]) -> str:
    return f"{result['server']['name']}, {result.get('cache', 'local')} cache"


def markdown(result: dict[str, Any]) -> str:
    lines = [
        f"{_configuration(result)} — {result['date'][:16]} UTC, commit "
        f"`{result['git']['commit'][:7]}`, {result['corpus']['items']:,} agenda items, "
        f"load average before {result['machine']['load_average']}"
        + (f"; {result['note']}" if result["note"] else ""),
        "",
        "| clients | req/s | p50 / p95 / p99 ms | max ms | errors / requests |",
        "| --- | --- | --- | --- | --- |",
    ]
    for level in result["levels"]:
        t = level["total"]
        lines.append(
            f"| {level['clients']} | {t['requests_per_s']} | {t['p50_ms']:.0f} / "
            f"{t['p95_ms']:.0f} / {t['p99_ms']:.0f} | {t['max_ms']} | "
            f"{t['errors']} / {t['requests']} |"
        )
    return "\n".join(lines)


def write_latest() -> Path:
    newest: dict[str, dict[str, Any]] = {}
    for path in sorted(OUT.glob("*.json")):
        result = json.loads(path.read_text(encoding="utf-8"))
        newest[_configuration(result)] = result  # sorted by date: the last one wins
    parts = ["# Latest load-test figures (`make loadtest`)"]
    parts += [markdown(newest[name]) for name in sorted(newest)]
    latest = OUT / "LATEST.md"
    latest.write_text("\n\n".join(parts) + "\n", encoding="utf-8")
    return latest


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "archive.settings")
    import django

    django.setup()
    from bench.report import git, machine
    from minutes.models import AgendaItem, Meeting

    if not Meeting.objects.exists():
        raise SystemExit("The database has no meetings: load some first (see the Makefile).")
    clients = [int(n) for n in args.clients.split(",")]
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="loadtest-") as tmp:
        folder = Path(tmp)
        target_file = targets(folder)
        corpus = {"items": AgendaItem.objects.count(), "meetings": Meeting.objects.count()}
        for text in args.servers.split(","):
            server = Server.parse(text.strip())
            result: dict[str, Any] = {
                "date": datetime.now(UTC).isoformat(timespec="seconds"),
                "server": {**server.__dict__, "name": server.name},
                "machine": machine(),
                "git": git(),
                "corpus": corpus,
                "cache": cache_kind(),
                "note": args.note,
                "levels": [],
            }
            with gunicorn(server, folder / f"{server.name}.log") as host:
                if args.warmup:
                    locust(host, target_file, 10, args.warmup, folder / "warmup")
                for count in clients:
                    prefix = folder / f"{server.name}_{count}"
                    result["levels"].append(locust(host, target_file, count, args.seconds, prefix))
            stamp = result["date"][:19].replace(":", "")
            path = OUT / f"{stamp}_{server.name}.json"
            path.write_text(json.dumps(result, ensure_ascii=False, indent=1) + "\n", "utf-8")
            print(markdown(result), end="\n\n")
            for level in result["levels"]:
                kinds = ", ".join(
                    f"{kind} {f['p50_ms']:.0f}/{f['p95_ms']:.0f}/{f['p99_ms']:.0f} ms"
                    for kind, f in level["kinds"].items()
                )
                print(f"  {level['clients']} clients, p50/p95/p99 by kind: {kinds}")
                if level["cpu_ms_per_request"]:
                    cpu = ", ".join(f"{k} {v}" for k, v in level["cpu_ms_per_request"].items())
                    print(f"  {level['clients']} clients, CPU ms per request: {cpu}")
            print(f"Saved {path.relative_to(ROOT)}\n")
    write_latest()
    return 0


if __name__ == "__main__":
    sys.exit(main())
