"""The SECRET_KEY of a local `make run`: made once per checkout, kept in var/secret_key.

`make run` serves the archive with DEBUG off (the Danish 404 and 500 pages, hashed static files),
and with DEBUG off the settings refuse the public development key. A key of its own per machine,
git-ignored under var/, keeps sessions valid across restarts. Prints the key for the Makefile.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
KEY_FILE = Path(os.environ.get("LOCAL_SECRET_KEY_FILE", ROOT / "var" / "secret_key"))


def local_key(path: Path = KEY_FILE) -> str:
    if not path.exists() or not path.read_text("utf-8").strip():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(50), "utf-8")
        path.chmod(0o600)
    return path.read_text("utf-8").strip()


if __name__ == "__main__":
    print(local_key())
