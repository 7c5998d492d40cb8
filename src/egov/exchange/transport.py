"""How messages travel: the `Transport` interface and the built-in direct HTTP push.

`HttpPushTransport` POSTs each message to the partner's inbox URL (``Partner.url``, e.g.
another egov's ``/api/v1/exchange/edxml``) with ``Authorization: Bearer <Partner.token_out>``
and reads the status message the partner answers with.

A gateway adapter (a provincial LGSP, the national VDXP backbone run with the VPCP SDK) plugs
in by implementing the same five operations and naming its class in
``EGOV_EXCHANGE_TRANSPORT``:

- ``send_edoc`` / ``send_status``: hand one edXML message to the gateway; return what it
  answered (a gateway usually answers "queued" with no edXML status: return ``Reply`` with an
  empty body, and the statuses arrive later through ``fetch_list``);
- ``fetch_list``: ids of the messages waiting for us at the gateway;
- ``get_edoc``: the bytes of one of them (fed to ``services.inbox_receive`` as if POSTed);
- ``acknowledge``: tell the gateway the message was taken, so it is not offered again.

A pull-based adapter also needs a periodic job calling ``fetch_list``/``get_edoc``/
``acknowledge``; the push transport never pulls (its ``fetch_list`` is empty).
"""

from __future__ import annotations

import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import Protocol

from egov.exchange import config

USER_AGENT = "egov-exchange/1 (edXML QCVN 102:2016)"


class TransportError(Exception):
    """The message could not be handed over (network, timeout, gateway down): retry later."""


@dataclass(frozen=True)
class Reply:
    http_status: int
    body: bytes
    content_type: str = ""


class Transport(Protocol):
    def send_edoc(self, message: bytes) -> Reply: ...

    def send_status(self, message: bytes) -> Reply: ...

    def fetch_list(self) -> list[str]: ...

    def get_edoc(self, message_id: str) -> bytes: ...

    def acknowledge(self, message_id: str) -> None: ...


class HttpPushTransport:
    """Direct HTTP to the partner's inbox (both egov instances and any system with an inbox)."""

    def __init__(self, *, url: str, token: str, timeout: int | None = None) -> None:
        if not url.startswith(("http://", "https://")):
            raise TransportError(f"địa chỉ hộp thư của đối tác không hợp lệ: “{url}”")
        self.url = url
        self.token = token
        self.timeout = timeout if timeout is not None else config.timeout()

    def _post(self, message: bytes) -> Reply:
        headers = {
            "Content-Type": "application/xml; charset=utf-8",
            "Accept": "application/xml",
            "User-Agent": USER_AGENT,
        }
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        request = urllib.request.Request(self.url, data=message, headers=headers, method="POST")  # noqa: S310 - scheme checked above
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                return Reply(
                    response.status, response.read(), response.headers.get("Content-Type", "")
                )
        except urllib.error.HTTPError as exc:
            body = exc.read() if exc.fp is not None else b""
            return Reply(exc.code, body, exc.headers.get("Content-Type", "") if exc.headers else "")
        except (urllib.error.URLError, TimeoutError, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            raise TransportError(f"không kết nối được {self.url}: {reason}") from exc

    def send_edoc(self, message: bytes) -> Reply:
        return self._post(message)

    def send_status(self, message: bytes) -> Reply:
        return self._post(message)

    def fetch_list(self) -> list[str]:
        return []  # pushed to us: nothing to pull

    def get_edoc(self, message_id: str) -> bytes:
        raise TransportError("the HTTP push transport does not pull messages")

    def acknowledge(self, message_id: str) -> None:
        return None
