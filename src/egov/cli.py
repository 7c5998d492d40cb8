"""The `egov` command: Django's management commands under friendlier names.

egov demo | serve | worker | import agencies FILE | import staff FILE
egov calendar due|days|set … | audit verify | <any manage.py command>
"""

from __future__ import annotations

import os
import sys

# `egov import …` maps to the management command `import_data` (import is a keyword).
ALIASES = {"import": "import_data"}


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "egov.conf.settings")
    args = list(sys.argv[1:] if argv is None else argv)
    if args and args[0] in ALIASES:
        args[0] = ALIASES[args[0]]
    from django.core.management import execute_from_command_line

    execute_from_command_line(["egov", *args])


if __name__ == "__main__":
    main()
