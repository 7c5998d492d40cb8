"""Background jobs of the documents: thin, take ids, idempotent (re-running re-extracts)."""

from __future__ import annotations

from egov.documents import search
from egov.jobs import job


@job(retries=2, retry_delay=60)
def document_extract_text(document_id: int) -> None:
    """Extract the text of a document's PDF and DOCX files into its search column."""
    search.document_extract(document_id)
