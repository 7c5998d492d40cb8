"""Argon2id with OWASP's recommended parameters.

Django's default Argon2 hasher uses 100 MiB of memory per hash (memory_cost=102400), which
lifts a web process's peak by that much on every sign-in. OWASP's Password Storage Cheat
Sheet gives m=19 MiB, t=2, p=1 as an equivalent-strength configuration; hashes made with
Django's defaults still verify (the parameters are stored in each hash) and are upgraded on
the next sign-in.
"""

from __future__ import annotations

from django.contrib.auth.hashers import Argon2PasswordHasher


class OwaspArgon2PasswordHasher(Argon2PasswordHasher):
    time_cost = 2
    memory_cost = 19456
    parallelism = 1
