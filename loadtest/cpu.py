"""Where the machine's CPU went during a load-test level, from /proc (Linux).

`CpuMeter` is read before and after a level and gives CPU seconds of: the gunicorn processes
serving the port (master and workers), the PostgreSQL backends of clients connected to the
measured database (not autovacuum's), the load generator (locust, this process's waited-for children), and the whole
machine (every core, every process: other users' work included). Divided by the requests of the
level, that is CPU milliseconds per request — against 1,000 ms per core per second of capacity.
"""

from __future__ import annotations

import os
import resource
from dataclasses import dataclass
from pathlib import Path

TICKS = os.sysconf("SC_CLK_TCK")
PROC = Path("/proc")


def _process_seconds(pid: int) -> float:
    """utime + stime of a process (all its threads), or 0 when it is gone."""
    try:
        fields = (PROC / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return 0.0
    return (int(fields[11]) + int(fields[12])) / TICKS


def _pids_with(marker: bytes) -> list[int]:
    pids = []
    for entry in PROC.iterdir():
        if entry.name.isdigit():
            try:
                if marker in (entry / "cmdline").read_bytes():
                    pids.append(int(entry.name))
            except OSError:
                continue
    return pids


def _machine_busy_seconds() -> float:
    """CPU time of all cores that was not idle, since boot."""
    values = [int(v) for v in (PROC / "stat").read_text().splitlines()[0].split()[1:]]
    idle = values[3] + (values[4] if len(values) > 4 else 0)  # idle + iowait
    return (sum(values[:8]) - idle) / TICKS


def _backend_pids() -> list[int]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
            "AND backend_type = 'client backend' AND pid <> pg_backend_pid()"
        )
        return [row[0] for row in cursor.fetchall()]


@dataclass
class Snapshot:
    gunicorn: dict[int, float]
    postgres: dict[int, float]
    locust: float
    machine: float


class CpuMeter:
    """CPU seconds per part between `start()` and `stop()` for gunicorn on `port`."""

    def __init__(self, port: int) -> None:
        self.marker = f"127.0.0.1:{port}".encode()
        self.available = (PROC / "stat").exists()

    def _snapshot(self) -> Snapshot:
        children = resource.getrusage(resource.RUSAGE_CHILDREN)
        return Snapshot(
            gunicorn={pid: _process_seconds(pid) for pid in _pids_with(self.marker)},
            postgres={pid: _process_seconds(pid) for pid in _backend_pids()},
            locust=children.ru_utime + children.ru_stime,
            machine=_machine_busy_seconds(),
        )

    def start(self) -> None:
        self.before = self._snapshot() if self.available else None

    def stop(self) -> dict[str, float]:
        """CPU seconds of each part since start(). A backend or worker that started meanwhile
        counts from zero; one that ended meanwhile is missed (rare: connections are kept)."""
        if self.before is None:
            return {}
        after, before = self._snapshot(), self.before

        def spent(now: dict[int, float], then: dict[int, float]) -> float:
            return sum(seconds - then.get(pid, 0.0) for pid, seconds in now.items())

        return {
            "gunicorn": round(spent(after.gunicorn, before.gunicorn), 2),
            "postgres": round(spent(after.postgres, before.postgres), 2),
            "locust": round(after.locust - before.locust, 2),
            "machine": round(after.machine - before.machine, 2),
        }


def per_request(cpu_seconds: dict[str, float], requests: int) -> dict[str, float]:
    return {part: round(1000 * s / max(requests, 1), 1) for part, s in cpu_seconds.items()}
