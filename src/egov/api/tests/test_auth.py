"""Bearer tokens for integrations; the session (with CSRF on writes) for browsers."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from egov.accounts.models import User
from egov.api.models import ApiToken
from egov.api.services import api_token_create, api_token_revoke, token_digest
from egov.audit.models import AuditEntry
from egov.core.errors import Conflict, ValidationFailed

pytestmark = [pytest.mark.urls("egov.api.tests.urls_for_tests"), pytest.mark.django_db]


@pytest.fixture
def partner() -> User:
    return User.objects.create_user(
        "lienthong", password="mat-khau-dai-123", full_name="Hệ thống liên thông"
    )


def _bearer(raw: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def test_token_is_shown_once_and_stored_hashed(partner):
    token, raw = api_token_create(owner=partner, name="Cổng dịch vụ công quốc gia", actor=None)
    assert raw.startswith("egov_") and len(raw) > 40
    assert token.key_hash == token_digest(raw) and raw not in token.key_hash
    assert token.key_prefix == raw[:12]
    assert AuditEntry.objects.filter(
        action="api_token.create", object_id=str(token.public_id)
    ).exists()


def test_bearer_token_authenticates_as_its_owner(client, partner):
    _token, raw = api_token_create(owner=partner, name="LGSP", actor=None)
    response = client.get("/probe/whoami", **_bearer(raw))
    assert response.status_code == 200
    assert response.json() == {"username": "lienthong", "auth": "User"}
    # Writes need no CSRF token with a bearer token: the header is not sent by browsers on its own.
    strict = Client(enforce_csrf_checks=True)
    assert strict.post("/probe/whoami", **_bearer(raw)).status_code == 200
    assert ApiToken.objects.get().last_used_at is not None


@pytest.mark.parametrize("case", ["none", "wrong", "revoked", "expired", "inactive_owner", "basic"])
def test_refused_tokens_answer_401_problem(client, partner, case):
    token, raw = api_token_create(owner=partner, name="LGSP", actor=None)
    headers = _bearer(raw)
    if case == "none":
        headers = {}
    elif case == "wrong":
        headers = _bearer(raw[:-2] + "xx")
    elif case == "revoked":
        api_token_revoke(token=token, actor=None)
    elif case == "expired":
        ApiToken.objects.filter(pk=token.pk).update(
            expires_at=timezone.now() - timedelta(seconds=1)
        )
    elif case == "inactive_owner":
        User.objects.filter(pk=partner.pk).update(is_active=False)
    elif case == "basic":
        headers = {"HTTP_AUTHORIZATION": "Basic bGllbnRob25nOng="}
    response = client.get("/probe/whoami", **headers)
    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"
    assert response["WWW-Authenticate"] == "Bearer"
    assert response.json()["code"] == "not_authenticated"


def test_token_service_refusals(partner):
    with pytest.raises(ValidationFailed) as refused:
        api_token_create(owner=partner, name="  ", actor=None)
    assert "name" in refused.value.fields
    with pytest.raises(ValidationFailed):
        api_token_create(owner=partner, name="x", actor=None, expires_at=timezone.now())
    token, _raw = api_token_create(owner=partner, name="x", actor=None)
    api_token_revoke(token=token, actor=partner)
    with pytest.raises(Conflict):
        api_token_revoke(token=token, actor=partner)


def test_session_reads_and_writes_with_csrf(partner):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(partner)
    assert browser.get("/probe/whoami").json()["username"] == "lienthong"

    refused = browser.post("/probe/whoami")
    assert refused.status_code == 403
    assert refused["Content-Type"] == "application/problem+json"
    assert refused.json()["code"] == "csrf_failed"

    browser.get("/api/docs")  # any page that renders the token sets the CSRF cookie
    csrf = browser.cookies["csrftoken"].value
    assert browser.post("/probe/whoami", HTTP_X_CSRFTOKEN=csrf).status_code == 200


def test_anonymous_session_is_401_not_csrf(client):
    strict = Client(enforce_csrf_checks=True)
    response = strict.post("/probe/whoami")
    assert response.status_code == 401
