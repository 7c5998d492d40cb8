"""The applicant's side of fees, on their own dossier page (/dich-vu-cong/ho-so-cua-toi/<code>/).

What is due and what is paid, the instructions of each provider an applicant may use online
(the built-in bank transfer: the agency's account, the amount, the dossier code as the
transfer note), the form that records the bank's transfer reference
(`services.payment_record`, pending until a one-stop officer confirms it), and the receipt of
the confirmed payments (`fee_receipts.fee_receipt_pdf`).

`payment_panel(dossier)` is the panel's context; `views_portal.render_my_dossier` puts it on
the page. Refusals from the service come back as field errors on the same page (422), and
nothing is recorded.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from egov.accounts.decorators import verified_login_required
from egov.core.errors import AppError, NotFound
from egov.dossiers import services
from egov.dossiers.fees import FeeSummary, fee_summary
from egov.dossiers.models import Dossier, DossierStatus, PaymentStatus
from egov.dossiers.payments import PaymentInstructions, PaymentProvider, providers
from egov.dossiers.policy import access_dossier_for_applicant
from egov.dossiers.views_portal import answers_app_errors, render_my_dossier
from egov.printing.responses import pdf_response

CLOSED = (DossierStatus.REFUSED, DossierStatus.WITHDRAWN)


class TransferReferenceForm(forms.Form):
    """What the applicant copies from the bank's confirmation. The rules (length, amount
    still due, reference not used before) are the service's; this form only carries them."""

    provider = forms.CharField(widget=forms.HiddenInput, required=False)
    reference = forms.CharField(
        label=gettext_lazy("Mã giao dịch của ngân hàng"),
        help_text=gettext_lazy("Mã in trên biên lai hoặc tin nhắn xác nhận chuyển khoản."),
        required=False,
        widget=forms.TextInput(attrs={"maxlength": 100, "autocomplete": "off"}),
    )
    amount = forms.CharField(
        label=gettext_lazy("Số tiền đã chuyển (đồng)"),
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )


@dataclass(frozen=True)
class PaymentPanel:
    summary: FeeSummary
    provider: PaymentProvider | None  # the online provider offered, when one may be used now
    instructions: PaymentInstructions | None
    form: TransferReferenceForm | None
    has_receipt: bool
    # Why the last attempt was refused, when the form is no longer offered (e.g. paid meanwhile).
    refused: tuple[str, ...] = ()

    @property
    def rows(self) -> list[dict[str, Any]]:
        """The payments recorded, with their provider's name."""
        known = providers()
        return [
            {
                "provider": str(known[p.provider].name) if p.provider in known else p.provider,
                "reference": p.reference,
                "amount": p.amount,
                "status": PaymentStatus(p.status),
                "note": p.note if p.status == PaymentStatus.REJECTED else "",
                "at": p.confirmed_at or p.created_at,
            }
            for p in self.summary.payments
        ]


def online_provider() -> PaymentProvider | None:
    """The first configured provider an applicant may record a payment with."""
    return next((p for p in providers().values() if p.applicant_may_record), None)


def payment_panel(dossier: Dossier, *, form: TransferReferenceForm | None = None) -> PaymentPanel:
    summary = fee_summary(dossier)
    provider = online_provider()
    open_to_pay = provider is not None and summary.unclaimed > 0 and dossier.status not in CLOSED
    if open_to_pay and form is None:
        assert provider is not None
        form = TransferReferenceForm(
            initial={"provider": provider.code, "amount": str(summary.unclaimed)}
        )
    return PaymentPanel(
        summary=summary,
        provider=provider if open_to_pay else None,
        instructions=provider.start(dossier) if open_to_pay and provider is not None else None,
        form=form if open_to_pay else None,
        has_receipt=any(p.status == PaymentStatus.CONFIRMED for p in summary.payments),
        refused=()
        if open_to_pay or form is None or not form.is_bound
        else tuple(str(m) for errors in form.errors.values() for m in errors),
    )


def _amount(raw: str) -> int | None:
    """ "25.000", "25 000 đ", "25000" → 25000; anything else → None."""
    cleaned = re.sub(r"(đồng|đ|vnd|[\s.,])", "", raw.strip(), flags=re.IGNORECASE)
    return int(cleaned) if cleaned.isdigit() else None


def _my_page(dossier: Dossier) -> str:
    return reverse("portal:dossiers:my_dossier", args=[dossier.code]) + "#payment"


@verified_login_required
@answers_app_errors
@require_POST
def my_payment(request: HttpRequest, code: str) -> HttpResponse:
    """Record the bank's reference of the applicant's transfer (pending confirmation)."""
    dossier = access_dossier_for_applicant(request.user, code)
    form = TransferReferenceForm(request.POST)
    form.is_valid()  # every field optional: the service says what is wrong
    data = form.cleaned_data
    provider = online_provider()
    amount = _amount(data.get("amount", ""))
    if amount is None or amount <= 0:
        form.add_error("amount", _("Số tiền phải là số nguyên dương (đồng)."))
    else:
        try:
            services.payment_record(
                actor=request.user,
                dossier=dossier,
                provider=data.get("provider") or (provider.code if provider else ""),
                reference=data.get("reference", ""),
                amount=amount,
            )
        except AppError as exc:
            placed = False
            for field, errors in exc.fields.items():
                for error in errors:
                    form.add_error(field if field in ("reference", "amount") else None, error)
                    placed = True
            if not placed:
                form.add_error(None, exc.message)
        else:
            messages.success(
                request,
                _("Đã ghi nhận mã giao dịch; cán bộ một cửa sẽ đối chiếu và xác nhận."),
            )
            return HttpResponseRedirect(_my_page(dossier))
    return render_my_dossier(request, dossier, payment_form=form, status=422)


@verified_login_required
@answers_app_errors
def my_fee_receipt(request: HttpRequest, code: str) -> HttpResponse:
    """The receipt of the confirmed payments (404 while none is confirmed)."""
    dossier = access_dossier_for_applicant(request.user, code)
    from egov.dossiers.fee_receipts import fee_receipt_pdf  # ReportLab on first use

    pdf = fee_receipt_pdf(dossier)
    if pdf is None:
        raise NotFound(_("Chưa có khoản phí, lệ phí nào được xác nhận."))
    return pdf_response(pdf, f"giay-xac-nhan-nop-phi-{dossier.code}.pdf")
