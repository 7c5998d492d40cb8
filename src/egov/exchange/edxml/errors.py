"""The one error of the edXML library: a stable code and a Vietnamese reason.

The inbox answers a status 02 whose Description is the reason, so the reason is written for the
clerk at the sending agency: what is wrong and where.
"""

from __future__ import annotations


class EdxmlError(Exception):
    """A message that cannot be accepted. Codes:

    - ``too_large``: over the size limit;
    - ``malformed``: not well-formed XML (or a DOCTYPE, refused outright);
    - ``wrong_namespace``: the root is not ``{QCVN_102_2016}edXML``;
    - ``wrong_kind``: a status message where a document was expected, or the reverse;
    - ``schema_invalid``: fails ``schema/edxml.xsd`` or ``schema/status.xsd``;
    - ``bad_value``: passes the schema but a value is impossible (e.g. 2024/02/30);
    - ``bad_attachment``: a manifest reference without its attachment (or the reverse), a
      duplicated id, content that is not base64, a zip that cannot be opened;
    - ``digest_mismatch``: the file differs from the size or SHA-256 the manifest announced.
    """

    def __init__(self, code: str, reason: str) -> None:
        super().__init__(f"{code}: {reason}")
        self.code = code
        self.reason = reason
