"""Who may see and act on official documents, and the one way pages and the API reach one.

The tenant of a document is its `agency` (the issuer for outgoing, the receiver for incoming).
Which role acts at which review step is the workflow's question (the process's steps); the
policy answers the agency question and the secrecy rule.

Rules (the matrix in src/egov/policy/tests/test_matrix.py is the specification):

* `document.view` — any staff of the agency; a **secret** document only for the staff named on
  it (drafter, signer, reviewers who acted, the directing leader, handlers, explicit grants).
* `document.draft` — specialists, unit heads, agency leaders: create, edit and submit drafts.
* `document.review` — unit heads, clerks (format check), agency leaders: comment, return,
  approve at the step the process gives them.
* `document.sign` — agency leaders and unit heads (KT., TL. signers).
* `document.issue` — clerks: number, register, agency signature, distribution.
* `document.recall` — clerks and agency leaders.
* `document.register` — clerks: incoming registration, acknowledgement of bad signatures.
* `document.direct` — agency leaders and unit heads: instruction and handlers.
* `document.handle` — any staff of the agency (the service checks the handler is named).
* `casefile.manage` — clerks, specialists, unit heads, agency leaders: yearly files (hồ sơ).
* `document.configure` — administrators: reference tables, numbering policy, abbreviations.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from egov.core.errors import NotFound
from egov.documents.models import Document
from egov.organisations.models import RoleCode as R
from egov.policy.engine import Subject, can, register
from egov.workflow.models import HistoryEntry


def named_on(document: Document, subject: Subject) -> bool:
    """Is the subject named on the document (the secret-document rule)?"""
    if subject.staff_id is None:
        return False
    staff_id = subject.staff_id
    if staff_id in (document.drafter_id, document.signer_id, document.directed_by_id):
        return True
    if document.handlings.filter(
        Q(staff_id=staff_id) | Q(unit_id=subject.unit_id, staff=None)
    ).exists():
        return True
    if document.grants.filter(staff_id=staff_id).exists():
        return True
    if document.review_id and (
        HistoryEntry.objects.filter(
            instance_id=document.review_id, actor_id=subject.user_id
        ).exists()
    ):
        return True
    return _acts_now(document, subject)


def _acts_now(document: Document, subject: Subject) -> bool:
    """Whoever must act next is named: the roles of the current review step (the drafting
    unit's head at the unit step), and the clerks (văn thư) once it is signed, to issue it."""
    roles = subject.roles_in(document.agency_id)
    if document.status == "signed":
        return R.CLERK in roles
    if document.status != "in_review" or document.review is None:
        return False
    step = document.review.current_step
    if step is None or not roles & set(step.actor_roles):
        return False
    return not (step.code == "truong-phong" and document.unit_id not in (None, subject.unit_id))


def _may_see(subject: Subject, obj: Any) -> bool:
    if not isinstance(obj, Document) or not obj.secrecy.level:
        return True
    return named_on(obj, subject)


register(
    "document.view",
    any_staff=True,
    check=_may_see,
    description="Xem văn bản (văn bản mật: chỉ người có tên trên văn bản)",
)
register(
    "document.draft",
    roles={R.SPECIALIST, R.UNIT_HEAD, R.AGENCY_LEADER},
    description="Soạn thảo, sửa và trình dự thảo văn bản",
)
register(
    "document.review",
    roles={R.UNIT_HEAD, R.CLERK, R.AGENCY_LEADER},
    description="Góp ý, trả lại, duyệt dự thảo văn bản",
)
register(
    "document.sign",
    roles={R.AGENCY_LEADER, R.UNIT_HEAD},
    description="Ký văn bản",
)
register(
    "document.issue",
    roles={R.CLERK},
    description="Cấp số, đăng ký, ký số cơ quan và phát hành văn bản đi",
)
register(
    "document.recall",
    roles={R.CLERK, R.AGENCY_LEADER},
    description="Thu hồi văn bản đi",
)
register(
    "document.register",
    roles={R.CLERK},
    description="Tiếp nhận, đăng ký văn bản đến",
)
register(
    "document.direct",
    roles={R.AGENCY_LEADER, R.UNIT_HEAD},
    description="Cho ý kiến chỉ đạo, phân công xử lý văn bản đến",
)
register(
    "document.handle",
    any_staff=True,
    description="Cập nhật tiến độ, trả lời, hoàn thành xử lý văn bản đến",
)
register(
    "casefile.manage",
    roles={R.CLERK, R.SPECIALIST, R.UNIT_HEAD, R.AGENCY_LEADER},
    description="Lập hồ sơ công việc, đưa văn bản vào hồ sơ",
)
register(
    "document.configure",
    roles={R.ADMINISTRATOR},
    description="Cấu hình loại văn bản, chữ viết tắt, cách đánh số",
)


def access_document_for_staff(user: Any, public_id: Any) -> Document:
    """A document of the officer's agency by public id (secret ones only for the staff named on
    them); "not found" for missing and forbidden alike."""
    document = (
        Document.objects.select_related("agency", "type", "priority", "secrecy", "unit")
        .filter(public_id=public_id)
        .first()
    )
    if document is None or not can(user, "document.view", document):
        raise NotFound()
    return document
