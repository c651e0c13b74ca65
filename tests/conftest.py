import pytest
from django.contrib.auth import get_user_model
from django.core.cache import caches

from results.cache import invalidation
from results.demo import load_demo
from results.editors import ensure_editors_group


@pytest.fixture(autouse=True)
def fresh_caches():
    """Every test starts with empty caches (local memory in tests/settings.py: no SQL, no Redis)."""
    for cache in caches.all(initialized_only=True):
        cache.clear()
    yield
    for cache in caches.all(initialized_only=True):
        cache.clear()


@pytest.fixture(autouse=True)
def changes_apply_at_once(request, monkeypatch):
    """Tests run inside a transaction that never commits: what a write marks is applied at once.

    A test marked ``on_commit`` keeps the real behaviour (applied after the commit).
    """
    if request.node.get_closest_marker("on_commit") is None:
        monkeypatch.setattr(invalidation, "on_commit", lambda callback, using=None, robust=False: callback())


@pytest.fixture
def demo(db):
    load_demo()


@pytest.fixture
def editor(db):
    user = get_user_model().objects.create_user(
        "edna", "edna@example.com", "a-long-editor-password", is_staff=True
    )
    user.groups.add(ensure_editors_group())
    return user


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client
