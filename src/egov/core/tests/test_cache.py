"""The Redis cache backend keeps one client per connection pool and behaves like Django's."""

from __future__ import annotations

import pytest
from django.conf import settings

from egov.core.cache import RedisCache


@pytest.fixture
def redis_cache() -> RedisCache:
    if not settings.REDIS_URL:
        pytest.skip("needs Redis (the PostgreSQL + Redis run)")
    cache = RedisCache(settings.REDIS_URL, {"KEY_PREFIX": "egov-test-cache"})
    cache.clear()
    return cache


def test_one_client_per_pool_serves_every_call(redis_cache: RedisCache) -> None:
    client = redis_cache._cache  # type: ignore[attr-defined]
    first = client.get_client("a", write=True)
    assert client.get_client("b", write=True) is first
    assert client.get_client("c", write=False) is client.get_client("d", write=False)


def test_get_set_add_incr_delete_work_as_in_django(redis_cache: RedisCache) -> None:
    assert redis_cache.get("khoa") is None
    redis_cache.set("khoa", {"trạng_thái": "đang xử lý"}, 30)
    assert redis_cache.get("khoa") == {"trạng_thái": "đang xử lý"}
    assert redis_cache.add("khoa", "khác", 30) is False
    assert redis_cache.add("dem", 0, 30) is True
    assert redis_cache.incr("dem") == 1
    redis_cache.delete("khoa")
    assert redis_cache.get("khoa") is None
