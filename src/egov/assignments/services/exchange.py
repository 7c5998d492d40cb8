"""Work exchange: threaded comments on any dossier, document or assignment with @mentions;
internal notices; the daily e-mail digest."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, models, transaction
from django.utils import timezone

from egov.accounts.models import User
from egov.assignments.models import Comment, DigestSent, Notice, NoticeRecipient
from egov.assignments.policy import staff_of
from egov.audit.services import audit_record
from egov.core.errors import NotFound, PermissionDenied, ValidationFailed
from egov.notifications.models import Channel, Notification
from egov.notifications.services import notification_send
from egov.organisations.models import Agency, StaffMember
from egov.policy.engine import can

MENTION = re.compile(r"(?<![\w@])@([\w.\-]+)", re.UNICODE)
MAX_BODY = 10_000

# label -> (access helper path, link of the target)
Access = Callable[[Any, Any], Any]


def _access_helpers() -> dict[str, Access]:
    from egov.assignments.policy import access_assignment_for_staff
    from egov.documents.policy import access_document_for_staff
    from egov.dossiers.policy import access_dossier_for_staff

    return {
        "assignments.assignment": access_assignment_for_staff,
        "documents.document": access_document_for_staff,
        "dossiers.dossier": access_dossier_for_staff,
    }


def comment_target_check(user: Any, target: models.Model) -> None:
    """Raise NotFound unless the user may view `target` (through its app's access helper)."""
    helper = _access_helpers().get(target._meta.label_lower)
    if helper is None:
        raise ValidationFailed("Không thể trao đổi trên đối tượng này.")
    helper(user, target.public_id)  # type: ignore[attr-defined]  # raises NotFound for missing or forbidden


def target_link(target: models.Model) -> str:
    from django.urls import reverse

    label = target._meta.label_lower
    pid = target.public_id  # type: ignore[attr-defined]
    if label == "assignments.assignment":
        return reverse("workspace:assignments:detail", args=[pid])
    if label == "documents.document":
        return reverse("workspace:documents:detail", args=[pid])
    try:
        return reverse("workspace:dossiers:detail", args=[pid])
    except Exception:
        return ""


def mentioned_users(body: str, *, agency_ids: Sequence[int] | None = None) -> list[User]:
    names = {m.rstrip(".") for m in MENTION.findall(body)}
    if not names:
        return []
    users = User.objects.filter(username__in=names, is_active=True, staff__is_active=True)
    return list(users.select_related("staff"))


def comments_for(target: models.Model) -> models.QuerySet[Comment]:
    ct = ContentType.objects.get_for_model(target)
    return (
        Comment.objects.filter(content_type=ct, object_id=target.pk)
        .select_related("author")
        .order_by("created_at", "id")
    )


@transaction.atomic
def comment_add(
    *, actor: Any, target: models.Model, body: str, parent: Comment | None = None
) -> Comment:
    """Add a comment (a reply when `parent`) to a dossier, document or assignment the actor may
    view; each @username mentioned who may also view it is notified (in-app and e-mail)."""
    if staff_of(actor) is None:
        raise PermissionDenied()
    comment_target_check(actor, target)
    body = (body or "").strip()
    if not body:
        raise ValidationFailed("Chưa nhập nội dung trao đổi.", fields={"body": ["Bắt buộc."]})
    if len(body) > MAX_BODY:
        raise ValidationFailed("Nội dung quá dài.", fields={"body": ["Tối đa 10.000 ký tự."]})
    ct = ContentType.objects.get_for_model(target)
    if parent is not None and (parent.content_type_id != ct.pk or parent.object_id != target.pk):
        raise ValidationFailed("Ý kiến được trả lời không thuộc đối tượng này.")
    agency_id = getattr(target, "policy_agency_id", None) or target.agency_id  # type: ignore[attr-defined]
    comment = Comment.objects.create(
        agency_id=agency_id,
        content_type=ct,
        object_id=target.pk,
        parent=parent,
        author=actor,
        body=body,
    )
    link = target_link(target)
    notified: list[User] = []
    for user in mentioned_users(body):
        if user.pk == actor.pk:
            continue
        try:
            comment_target_check(user, target)
        except NotFound:
            continue  # never tell someone about a thing they may not see
        notified.append(user)
        notification_send(
            event="comment.mention",
            subject=f"{actor} nhắc đến bạn trong một trao đổi",
            body=f"{target}: {body[:500]}",
            recipient_user=user,
            link=link,
            channels=(Channel.IN_APP, Channel.EMAIL),
            actor=actor,
        )
    comment.mentions.set(notified)
    audit_record(
        actor=actor,
        action="comment.add",
        target=comment,
        summary=f"Trao đổi trên {target}"[:500],
        agency_id=agency_id,
    )
    return comment


# --- notices -----------------------------------------------------------------------------------


@transaction.atomic
def notice_publish(
    *,
    actor: Any,
    title: str,
    body: str,
    to_own_staff: bool = True,
    to_agencies: Sequence[Agency] = (),
) -> Notice:
    """Publish an internal notice; each recipient gets an in-app notification, whose `read_at`
    is the read receipt."""
    author = staff_of(actor)
    if author is None or not can(actor, "notice.publish", author.agency):
        raise PermissionDenied("Bạn không có quyền đăng thông báo nội bộ.")
    title = (title or "").strip()
    body = (body or "").strip()
    errors: dict[str, list[str]] = {}
    if not title:
        errors["title"] = ["Bắt buộc."]
    if not body:
        errors["body"] = ["Bắt buộc."]
    if not to_own_staff and not to_agencies:
        errors["to_agencies"] = ["Chọn ít nhất một nơi nhận."]
    if errors:
        raise ValidationFailed("Thông báo chưa đủ thông tin.", fields=errors)
    notice = Notice.objects.create(
        agency=author.agency,
        title=title,
        body=body,
        to_own_staff=to_own_staff,
        author=author,
        published_at=timezone.now(),
    )
    notice.to_agencies.set(to_agencies)
    agency_ids = [a.pk for a in to_agencies]
    if to_own_staff:
        agency_ids.append(author.agency_id)
    from django.urls import reverse

    link = reverse("workspace:assignments:notice", args=[notice.public_id])
    for staff in StaffMember.objects.filter(
        agency_id__in=agency_ids, is_active=True
    ).select_related("user"):
        if staff.pk == author.pk:
            continue
        notification = notification_send(
            event="notice.published",
            subject=f"Thông báo: {title}",
            body=body[:1000],
            recipient_user=staff.user,
            link=link,
            channels=(Channel.IN_APP,),
            actor=actor,
            agency=author.agency,
        )
        NoticeRecipient.objects.create(notice=notice, user=staff.user, notification=notification)
    audit_record(actor=actor, action="notice.publish", target=notice, summary=title)
    return notice


# --- daily digest -------------------------------------------------------------------------------


def _day_bounds(day: date) -> tuple[datetime, datetime]:
    zone = ZoneInfo(settings.TIME_ZONE)
    start = datetime.combine(day, time.min, tzinfo=zone)
    return start, start + timedelta(days=1)


DIGEST_EXCLUDED_EVENTS = ("digest.daily",)


def digest_send(*, day: date | None = None) -> int:
    """E-mail each user one digest of the day's unread in-app notifications, once per day
    (a `DigestSent` row per user and day, written in the same transaction)."""
    day = day or timezone.localdate()
    start, end = _day_bounds(day)
    unread = Notification.objects.filter(
        recipient_user__isnull=False,
        read_at__isnull=True,
        created_at__gte=start,
        created_at__lt=end,
    ).exclude(event__in=DIGEST_EXCLUDED_EVENTS)
    user_ids = (
        unread.exclude(recipient_user__in=DigestSent.objects.filter(day=day).values("user_id"))
        .values_list("recipient_user_id", flat=True)
        .distinct()
    )
    sent = 0
    for user_id in list(user_ids):
        user = User.objects.get(pk=user_id)
        if not user.email:
            continue
        items = list(unread.filter(recipient_user_id=user_id).order_by("created_at")[:50])
        try:
            with transaction.atomic():
                digest = DigestSent.objects.create(user=user, day=day, count=len(items))
                audit_record(
                    actor=None,
                    action="digest.send",
                    target=digest,
                    summary=f"Thư tóm tắt ngày {day:%d/%m/%Y}: {len(items)} thông báo",
                    agency_id=getattr(getattr(user, "staff", None), "agency_id", None),
                )
                lines = [f"- {n.subject}" for n in items]
                notification_send(
                    event="digest.daily",
                    subject=f"Tóm tắt thông báo ngày {day:%d/%m/%Y} ({len(items)})",
                    body="Các thông báo chưa đọc trong ngày:\n" + "\n".join(lines),
                    recipient_user=user,
                    channels=(Channel.EMAIL,),
                )
        except IntegrityError:
            continue  # another run sent it
        sent += 1
    return sent
