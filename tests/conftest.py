import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache

from results.demo import load_demo
from results.editors import ensure_editors_group


@pytest.fixture(autouse=True)
def _fresh_cache(request):
    """Pages are cached per data version; every test with a database starts from an empty cache.

    The cache is a database table unless REDIS_URL is set, so tests without a database skip this.
    """
    uses_db = request.node.get_closest_marker("django_db") or {"db", "transactional_db"} & set(
        request.fixturenames
    )
    if not uses_db:
        yield
        return
    if "transactional_db" in request.fixturenames:
        request.getfixturevalue("transactional_db")
    elif "db" in request.fixturenames:
        request.getfixturevalue("db")
    cache.clear()
    yield
    cache.clear()


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
