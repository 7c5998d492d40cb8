from __future__ import annotations

import pytest
from django.conf import settings

pytestmark = pytest.mark.django_db


def test_vietnamese_by_default(client) -> None:
    response = client.get("/accounts/login/")
    assert response["Content-Language"] == "vi"
    assert '<html lang="vi"' in response.content.decode()


def test_english_when_the_cookie_says_so(client) -> None:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get("/accounts/login/")
    assert response["Content-Language"] == "en"
    assert '<html lang="en"' in response.content.decode()


def test_the_switcher_sets_english_then_back_to_vietnamese(client) -> None:
    page = client.get("/accounts/login/").content.decode()
    assert 'action="/i18n/setlang/"' in page
    assert 'name="language" value="en" lang="en"' in page
    switched = client.post("/i18n/setlang/", {"language": "en", "next": "/accounts/login/"})
    assert switched.status_code == 302
    assert switched["Location"] == "/accounts/login/"
    english = client.get("/accounts/login/")
    assert english["Content-Language"] == "en"
    # The current language's button is marked and disabled.
    assert 'value="en" lang="en" aria-current="true" disabled' in english.content.decode()
    client.post("/i18n/setlang/", {"language": "vi", "next": "/accounts/login/"})
    assert client.get("/accounts/login/")["Content-Language"] == "vi"
