"""The documents' services (writes). Import from here: `from egov.documents.services import
document_issue`. One module per area: outgoing, incoming, distribution, casefiles, review."""

from egov.documents.services._common import FileInput
from egov.documents.services.casefiles import (
    casefile_add_document,
    casefile_close,
    casefile_create,
)
from egov.documents.services.distribution import recipient_status_update
from egov.documents.services.incoming import (
    handling_close,
    handling_progress,
    handling_reply,
    incoming_direct,
    incoming_duplicates,
    incoming_receive,
    incoming_register,
    incoming_reject,
    incoming_replace,
    incoming_revoke,
    incoming_signature_acknowledge,
    incoming_submit_to_leader,
    incoming_update,
)
from egov.documents.services.outgoing import (
    RecipientInput,
    document_issue,
    document_recall,
    document_sign,
    document_view_log,
    draft_approve,
    draft_comment,
    draft_create,
    draft_return,
    draft_submit,
    draft_update,
)

__all__ = [
    "FileInput",
    "RecipientInput",
    "casefile_add_document",
    "casefile_close",
    "casefile_create",
    "document_issue",
    "document_recall",
    "document_sign",
    "document_view_log",
    "draft_approve",
    "draft_comment",
    "draft_create",
    "draft_return",
    "draft_submit",
    "draft_update",
    "handling_close",
    "handling_progress",
    "handling_reply",
    "incoming_direct",
    "incoming_duplicates",
    "incoming_receive",
    "incoming_register",
    "incoming_reject",
    "incoming_replace",
    "incoming_revoke",
    "incoming_signature_acknowledge",
    "incoming_submit_to_leader",
    "incoming_update",
    "recipient_status_update",
]
