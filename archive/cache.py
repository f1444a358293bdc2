"""The shared cache (CACHE_URL): Django's built-in Redis backend, and a lost Redis is a miss.

What the archive caches (rendered page versions, the sitemap) can always be made again from the
database, so Redis being down or slow must not take the pages down with it: a read that fails
is a miss and the page is rendered, a write that fails is skipped, and both are logged.
"""

from __future__ import annotations

import logging
from typing import Any

from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

log = logging.getLogger(__name__)


class ForgivingRedisCache(RedisCache):
    def get(self, key: Any, default: Any = None, version: int | None = None) -> Any:
        try:
            return super().get(key, default, version)
        except RedisError as exc:
            log.warning("cache read failed, rendering instead: %s", exc)
            return default

    def get_many(self, keys: Any, version: int | None = None) -> dict:
        try:
            return super().get_many(keys, version)
        except RedisError as exc:
            log.warning("cache read failed, rendering instead: %s", exc)
            return {}

    def set(self, key: Any, value: Any, timeout: Any = None, version: int | None = None) -> None:
        try:
            super().set(key, value, timeout, version)
        except RedisError as exc:
            log.warning("cache write failed, not stored: %s", exc)

    def add(self, key: Any, value: Any, timeout: Any = None, version: int | None = None) -> bool:
        try:
            return super().add(key, value, timeout, version)
        except RedisError as exc:
            log.warning("cache write failed, not stored: %s", exc)
            return False
