"""Payment providers for dossier fees: a plug-in interface and its registry.

A provider is a class with a `code`, a `name`, `start(dossier)` (what the applicant must do:
instructions, or a redirect to a payment gateway) and `confirm(payment, data)` (checks a
provider's callback; True when the payment is proven). Providers offered are listed in
``settings.EGOV_PAYMENT_PROVIDERS`` (dotted paths); the counter (cash at the one-stop desk) is
always there.

Built-in:

* ``counter`` — cash at the counter: recorded by a one-stop officer, confirmed at once.
* ``bank_transfer`` — the applicant transfers to the agency's account with the dossier code in
  the transfer note and records the bank's reference; a one-stop officer checks the account
  statement and confirms (`services.payment_confirm`).

The state changes (recording, confirming) are services (`payment_record`, `payment_confirm`);
providers hold no state and write nothing.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

from django.conf import settings
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from egov.core.errors import ValidationFailed

if TYPE_CHECKING:
    from egov.dossiers.models import Dossier, Payment


@dataclass(frozen=True)
class PaymentInstructions:
    provider: str
    title: str
    lines: tuple[str, ...] = ()
    amount: int = 0
    # What the applicant writes in the transfer note (the dossier code).
    transfer_note: str = ""
    # A gateway's page to send the applicant to, when the provider has one.
    redirect_url: str = ""
    extra: Mapping[str, Any] = field(default_factory=dict)


@runtime_checkable
class PaymentProvider(Protocol):
    code: str
    name: str
    # Recorded by an officer and proven at once (cash in hand), no separate confirmation.
    confirmed_on_record: bool
    # Whether an applicant may record a payment with it online.
    applicant_may_record: bool

    def start(self, dossier: Dossier) -> PaymentInstructions: ...

    def confirm(self, payment: Payment, data: Mapping[str, Any]) -> bool: ...


def _outstanding(dossier: Dossier) -> int:
    from egov.dossiers.fees import fee_summary

    return fee_summary(dossier).outstanding


class CounterCash:
    code = "counter"
    name = _("Nộp tiền mặt tại bộ phận một cửa")
    confirmed_on_record = True
    applicant_may_record = False

    def start(self, dossier: Dossier) -> PaymentInstructions:
        return PaymentInstructions(
            provider=self.code,
            title=str(self.name),
            lines=(
                _("Nộp tiền mặt tại bộ phận một cửa của %(agency)s khi nhận kết quả.")
                % {"agency": dossier.agency.name},
            ),
            amount=_outstanding(dossier),
        )

    def confirm(self, payment: Payment, data: Mapping[str, Any]) -> bool:
        return True  # the officer took the cash


class BankTransfer:
    code = "bank_transfer"
    name = _("Chuyển khoản ngân hàng")
    confirmed_on_record = False
    applicant_may_record = True

    def start(self, dossier: Dossier) -> PaymentInstructions:
        return PaymentInstructions(
            provider=self.code,
            title=str(self.name),
            lines=(
                _(
                    "Chuyển khoản vào tài khoản thu phí, lệ phí của %(agency)s (niêm yết tại bộ "
                    "phận một cửa và trên trang thủ tục)."
                )
                % {"agency": dossier.agency.name},
                _("Ghi nội dung chuyển khoản: %(code)s.") % {"code": dossier.code},
                _(
                    "Sau khi chuyển, nhập mã giao dịch của ngân hàng; cán bộ một cửa sẽ đối chiếu "
                    "và xác nhận."
                ),
            ),
            amount=_outstanding(dossier),
            transfer_note=dossier.code,
        )

    def confirm(self, payment: Payment, data: Mapping[str, Any]) -> bool:
        # Proven by the officer reading the account statement (payment_confirm).
        return bool(data.get("confirmed_by_officer"))


BUILT_IN: tuple[type, ...] = (CounterCash,)


@cache
def _load(paths: tuple[str, ...]) -> dict[str, PaymentProvider]:
    found: dict[str, PaymentProvider] = {}
    for cls in (*BUILT_IN, *(import_string(p) for p in paths)):
        provider = cls()
        if not isinstance(provider, PaymentProvider):
            raise TypeError(f"{cls!r} is not a payment provider")
        if provider.code in found:
            raise ValueError(f"payment provider {provider.code!r} configured twice")
        found[provider.code] = provider
    return found


def providers() -> dict[str, PaymentProvider]:
    """The providers offered, by code (the counter first)."""
    return dict(_load(tuple(getattr(settings, "EGOV_PAYMENT_PROVIDERS", ()))))


def provider_for(code: str) -> PaymentProvider:
    provider = providers().get(code)
    if provider is None:
        message = _("Hình thức thanh toán không được hỗ trợ: %(code)s (có: %(known)s).") % {
            "code": code,
            "known": ", ".join(providers()),
        }
        raise ValidationFailed(message, fields={"provider": [message]})
    return provider
