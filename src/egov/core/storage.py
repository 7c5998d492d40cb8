"""Filesystem storage for content-addressed blobs: every write lands whole or not at all.

Django's `FileSystemStorage` writes straight into the final path, so a concurrent reader (or
a second upload of the same bytes checking whether the blob is already there) can see a file
half written. Here the bytes go to a temporary file in the same directory and are renamed
into place with `os.replace`, which is atomic on POSIX. Because a key is the SHA-256 of the
content, two writers of one key write the same bytes, and the last rename wins harmlessly.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from typing import Any

from django.core.files.storage import FileSystemStorage


class AtomicFileSystemStorage(FileSystemStorage):
    def get_available_name(self, name: str, max_length: int | None = None) -> str:
        return name  # the key names the content: the same name is the same file

    def _save(self, name: str, content: Any) -> str:
        full_path = self.path(name)
        directory = os.path.dirname(full_path)
        os.makedirs(directory, exist_ok=True)
        fd, temporary = tempfile.mkstemp(dir=directory, prefix=".incoming-")
        try:
            with os.fdopen(fd, "wb") as out:
                content.seek(0)
                for chunk in content.chunks():
                    out.write(chunk)
                out.flush()
                os.fsync(out.fileno())
            # mkstemp creates 0600; give the blob the mode a plain save would
            mode = self.file_permissions_mode
            os.chmod(temporary, 0o644 if mode is None else mode)
            os.replace(temporary, full_path)
        except BaseException:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(temporary)
            raise
        return name
