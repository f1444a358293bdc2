"""Which build of the static files this process serves, as the page cache's key version.

A cached page names its stylesheet by the hashed file name of the build that rendered it; the
next release serves only its own (whitenoise, CompressedManifestStaticFilesStorage). With the
shared cache (Redis outlives a deploy), a page cached by the old release would be served unstyled
by the new one for up to a day. So the cache keys carry the manifest's digest: a release with
other static files starts with its own page versions, and the old ones expire.
"""

from __future__ import annotations

import hashlib
from pathlib import Path


def static_version(static_root: Path) -> int:
    """A number that changes when collectstatic's manifest does; 1 without one (DEBUG, tests)."""
    manifest = static_root / "staticfiles.json"
    try:
        digest = hashlib.sha256(manifest.read_bytes()).hexdigest()
    except OSError:
        return 1
    return int(digest[:12], 16)
