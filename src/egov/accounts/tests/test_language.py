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


def _render_switch(rf, language: str) -> str:  # type: ignore[no-untyped-def]
    from django.template.loader import render_to_string
    from django.utils import translation

    request = rf.get("/accounts/profile/?tab=1")
    with translation.override(language):
        return render_to_string("accounts/_language_switch.html", request=request)


def test_the_switcher_snippet_posts_to_setlang_and_marks_the_current_language(rf) -> None:
    html = _render_switch(rf, "vi")
    assert 'action="/i18n/setlang/" method="post"' in html
    assert 'name="csrfmiddlewaretoken"' in html
    assert 'name="next" value="/accounts/profile/?tab=1"' in html
    assert 'value="vi" lang="vi" aria-current="true" disabled>Tiếng Việt' in html
    assert 'value="en" lang="en">English' in html
    assert 'value="en" lang="en" aria-current="true" disabled>English' in _render_switch(rf, "en")


def test_the_language_view_sets_english_then_back_to_vietnamese(client) -> None:
    switched = client.post("/i18n/setlang/", {"language": "en", "next": "/accounts/login/"})
    assert switched.status_code == 302
    assert switched["Location"] == "/accounts/login/"
    english = client.get("/accounts/login/")
    assert english["Content-Language"] == "en"
    assert '<html lang="en"' in english.content.decode()
    client.post("/i18n/setlang/", {"language": "vi", "next": "/accounts/login/"})
    assert client.get("/accounts/login/")["Content-Language"] == "vi"
