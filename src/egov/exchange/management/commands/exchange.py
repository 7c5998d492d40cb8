"""``egov exchange``: partner systems and the edXML outbox, from the command line.

    egov exchange partner add "Hệ thống QLVB tỉnh Quảng Trị" --organ-id 000.00.00.H48 \\
        --url http://127.0.0.1:8001/api/v1/exchange/edxml [--token-out TOKEN]
    egov exchange partner list
    egov exchange partner revoke 000.00.00.H48
    egov exchange partner set-token-out 000.00.00.H48 TOKEN
    egov exchange partner reseal                # after rotating EGOV_FIELD_KEY
    egov exchange outbox [list] [--status queued|failed|…]
    egov exchange outbox retry ID|--all-failed
    egov exchange outbox --deliver-now          # attempt every queued message now, here

`partner add` prints the partner's inbound token on the last line of its output, alone: the
partner sends it as ``Authorization: Bearer <token>``. It is shown only this once.
"""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from egov.core.errors import AppError
from egov.exchange import selectors, services
from egov.exchange.models import OutboundMessage, OutboundStatus


class Command(BaseCommand):
    help = "Liên thông văn bản edXML: hệ thống đối tác và hộp thư đi."

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="area", required=True)
        partner = sub.add_parser("partner", help="Hệ thống đối tác")
        psub = partner.add_subparsers(dest="action", required=True)
        add = psub.add_parser("add", help="Đăng ký hệ thống đối tác và in mã truy cập")
        add.add_argument("name")
        add.add_argument("--organ-id", required=True)
        add.add_argument("--url", default="")
        add.add_argument("--token-out", default="", help="Mã truy cập đối tác cấp cho ta")
        psub.add_parser("list", help="Danh sách hệ thống đối tác")
        revoke = psub.add_parser("revoke", help="Thu hồi hệ thống đối tác")
        revoke.add_argument("organ_id")
        token_out = psub.add_parser(
            "set-token-out", help="Ghi mã truy cập đối tác cấp cho ta (để gửi đến họ)"
        )
        token_out.add_argument("organ_id")
        token_out.add_argument("token")
        psub.add_parser(
            "reseal", help="Mã hóa lại mã truy cập của đối tác bằng khóa EGOV_FIELD_KEY mới"
        )

        outbox = sub.add_parser("outbox", help="Hộp thư đi")
        outbox.add_argument("action", nargs="?", default="list", choices=["list", "retry"])
        outbox.add_argument("ids", nargs="*", type=int)
        outbox.add_argument("--status", default="")
        outbox.add_argument("--all-failed", action="store_true")
        outbox.add_argument(
            "--deliver-now", action="store_true", help="Gửi ngay mọi gói tin đang chờ"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            if options["area"] == "partner":
                self._partner(options)
            else:
                self._outbox(options)
        except AppError as exc:
            raise CommandError(exc.message) from exc

    def _partner(self, options: dict[str, Any]) -> None:
        action = options["action"]
        if action == "add":
            partner, token = services.partner_add(
                actor=None,
                name=options["name"],
                organ_id=options["organ_id"],
                url=options["url"],
                token_out=options["token_out"],
            )
            self.stdout.write(f"Đã đăng ký {partner.name} ({partner.organ_id}).")
            self.stdout.write(
                "Mã truy cập (chỉ hiện một lần; đối tác gửi kèm “Authorization: Bearer <mã>”):"
            )
            self.stdout.write(token)
        elif action == "reseal":
            count = services.partner_tokens_reseal(actor=None)
            self.stdout.write(f"Đã mã hóa lại {count} mã truy cập.")
        elif action == "list":
            for p in selectors.partners():
                state = "hoạt động" if p.is_active else "đã thu hồi"
                self.stdout.write(
                    f"{p.organ_id}\t{p.name}\t{p.url or '-'}\t{p.token_prefix}…\t{state}"
                )
        else:
            found = selectors.partners().filter(organ_id=options["organ_id"]).first()
            if found is None:
                raise CommandError(f"Không có hệ thống đối tác {options['organ_id']}.")
            if action == "set-token-out":
                services.partner_set_token_out(
                    actor=None, partner=found, token_out=options["token"]
                )
                self.stdout.write(f"Đã ghi mã truy cập gửi đến {found.name}.")
                return
            services.partner_revoke(actor=None, partner=found)
            self.stdout.write(f"Đã thu hồi {found.name}.")

    def _outbox(self, options: dict[str, Any]) -> None:
        if options["deliver_now"]:
            queued = list(
                OutboundMessage.objects.filter(status=OutboundStatus.QUEUED)
                .order_by("pk")
                .values_list("pk", flat=True)
            )
            for outbound_id in queued:
                outcome = services.outbound_attempt(outbound_id=outbound_id, force=True)
                self.stdout.write(f"{outbound_id}\t{outcome.status}\t{outcome.error}")
            return
        if options["action"] == "retry":
            rows = OutboundMessage.objects.filter(pk__in=options["ids"])
            if options["all_failed"]:
                rows = OutboundMessage.objects.filter(status=OutboundStatus.FAILED)
            for outbound in rows:
                services.outbox_retry(actor=None, outbound=outbound)
                self.stdout.write(f"{outbound.pk}\tqueued")
            return
        for m in selectors.outbox(status=options["status"] or None)[:200]:
            self.stdout.write(
                f"{m.pk}\t{m.kind}\t{m.status}\t{m.document_identifier}\t→ "
                f"{m.recipient_organ_id}\tlần {m.attempts}\t{m.response_code or '-'}\t"
                f"{(m.last_error or '')[:80]}"
            )
