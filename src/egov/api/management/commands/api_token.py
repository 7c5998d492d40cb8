"""`egov api_token create USER NAME [--expires-days N] | revoke PREFIX | list [USER]`."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from egov.api.models import ApiToken
from egov.api.services import api_token_create, api_token_revoke
from egov.core.errors import AppError


class Command(BaseCommand):
    help = "Quản lý mã truy cập API (Bearer) cho hệ thống tích hợp."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="Cấp mã mới (chỉ hiện một lần).")
        create.add_argument("username")
        create.add_argument("name")
        create.add_argument("--expires-days", type=int, default=None)
        revoke = sub.add_parser("revoke", help="Thu hồi mã theo tiền tố (egov_xxxxxxx).")
        revoke.add_argument("prefix")
        listing = sub.add_parser("list", help="Liệt kê mã.")
        listing.add_argument("username", nargs="?")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            getattr(self, f"_{options['action']}")(options)
        except AppError as exc:
            raise CommandError(exc.message) from exc

    def _create(self, options: dict[str, Any]) -> None:
        user_model = get_user_model()
        try:
            owner = user_model.objects.get(username=options["username"])
        except user_model.DoesNotExist as exc:
            raise CommandError(f"Không có tài khoản “{options['username']}”.") from exc
        days = options["expires_days"]
        expires_at = timezone.now() + timedelta(days=days) if days else None
        _token, raw = api_token_create(
            owner=owner, name=options["name"], actor=None, expires_at=expires_at
        )
        self.stdout.write(raw)

    def _revoke(self, options: dict[str, Any]) -> None:
        token = ApiToken.objects.filter(key_prefix=options["prefix"][:12]).first()
        if token is None:
            raise CommandError(f"Không có mã với tiền tố “{options['prefix']}”.")
        api_token_revoke(token=token, actor=None)
        self.stdout.write(f"Đã thu hồi {token}.")

    def _list(self, options: dict[str, Any]) -> None:
        tokens = ApiToken.objects.select_related("owner")
        if options.get("username"):
            tokens = tokens.filter(owner__username=options["username"])
        for token in tokens:
            state = (
                "thu hồi"
                if token.revoked_at
                else ("hết hạn" if not token.is_usable() else "hiệu lực")
            )
            self.stdout.write(
                f"{token.key_prefix}…\t{token.owner.username}\t{token.name}\t{state}\t"
                f"{token.last_used_at or '-'}"
            )
