"""Every printed demo login against a running `egov serve`, then the web processes' peak memory.

    make demo                                   # in another terminal (or `egov serve` on a demo)
    .venv/bin/python benchmarks/demo_logins.py  # --base http://127.0.0.1:8000 --rounds 3

Each round signs in through the login form as each of the eight demo logins (password
`Demo@2026`), visits eight pages as that user and prints where the sign-in landed and each
page's status (403/404 where the role has no access). Then it reads `VmHWM` (peak resident
memory) of every `egov serve` process from /proc: the issue-2 target is a web process under
150 MB. Standard library only, so it runs from any Python.
"""

from __future__ import annotations

import argparse
import http.cookiejar
import re
import subprocess
import urllib.error
import urllib.parse
import urllib.request

LOGINS = [
    "vanthu",
    "motcua",
    "chuyenvien",
    "truongphong",
    "lanhdao",
    "chutich",
    "quantri",
    "congdan",
]
PASSWORD = "Demo@2026"
PAGES = [
    "/app/",
    "/app/ho-so/",
    "/app/van-ban/",
    "/app/nhiem-vu/",
    "/app/chi-so/",
    "/thu-tuc/",
    "/accounts/profile/",
    "/accounts/password/",
]


def sign_in_and_browse(base: str, username: str) -> tuple[str, list[int]]:
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    html = opener.open(base + "/accounts/login/").read().decode()
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    assert match, "no CSRF token on the login page"
    data = urllib.parse.urlencode(
        {"csrfmiddlewaretoken": match[1], "username": username, "password": PASSWORD}
    ).encode()
    request = urllib.request.Request(
        base + "/accounts/login/", data=data, headers={"Referer": base + "/accounts/login/"}
    )
    landed = opener.open(request).geturl().replace(base, "")
    codes = []
    for path in PAGES:
        try:
            codes.append(opener.open(base + path).status)
        except urllib.error.HTTPError as error:
            codes.append(error.code)
    return landed, codes


def peak_memory() -> list[tuple[int, int, int]]:
    """(pid, VmHWM kB, VmRSS kB) of every `egov serve` process."""
    found = subprocess.run(["pgrep", "-f", "egov serve"], capture_output=True, text=True)
    rows = []
    for pid in map(int, found.stdout.split()):
        try:
            with open(f"/proc/{pid}/status") as handle:
                status = handle.read()
        except FileNotFoundError:
            continue
        hwm = int(re.search(r"VmHWM:\s+(\d+)", status)[1])  # type: ignore[index]
        rss = int(re.search(r"VmRSS:\s+(\d+)", status)[1])  # type: ignore[index]
        rows.append((pid, hwm, rss))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", default="http://127.0.0.1:8000")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    for round_ in range(1, args.rounds + 1):
        for username in LOGINS:
            landed, codes = sign_in_and_browse(args.base, username)
            if round_ == 1:
                print(f"{username:12} landed {landed:22} pages {codes}")
    for pid, hwm, rss in peak_memory():
        print(f"egov serve pid {pid}: peak {hwm / 1024:.1f} MB, now {rss / 1024:.1f} MB")


if __name__ == "__main__":
    main()
