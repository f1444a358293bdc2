"""The page cache's keys carry the static files' build (archive/release.py)."""

from __future__ import annotations

import json

from django.conf import settings
from django.core.cache import caches

from archive.release import static_version


def _manifest(folder, paths: dict[str, str]):
    folder.mkdir()
    (folder / "staticfiles.json").write_text(json.dumps({"paths": paths, "version": "1.1"}))
    return folder


def test_another_build_of_the_static_files_is_another_cache_version(tmp_path):
    old = _manifest(tmp_path / "old", {"css/archive.css": "css/archive.0123456789ab.css"})
    new = _manifest(tmp_path / "new", {"css/archive.css": "css/archive.ba9876543210.css"})
    assert static_version(old) != static_version(new)
    assert static_version(old) == static_version(old)
    assert static_version(tmp_path / "none") == 1  # not collected: DEBUG, tests


def test_the_cache_uses_the_version_of_the_collected_static_files():
    expected = 1 if settings.DEBUG else static_version(settings.STATIC_ROOT)
    assert settings.CACHES["default"]["VERSION"] == expected
    assert caches["default"].version == expected
