"""Vietnamese by default; English only when the user picks it with the switch."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client

pytestmark = pytest.mark.django_db


def test_a_browser_set_to_english_still_gets_vietnamese() -> None:
    response = Client(HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").get("/accounts/login/")
    assert response.headers["Content-Language"] == "vi"
    assert 'lang="vi"' in response.content.decode()


def test_the_switch_turns_english_on_and_off() -> None:
    client = Client()
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    assert 'lang="en"' in client.get("/accounts/login/").content.decode()
    client.post("/i18n/setlang/", {"language": "vi", "next": "/"})
    assert 'lang="vi"' in client.get("/accounts/login/").content.decode()
