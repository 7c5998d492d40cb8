"""The portal's links, as data: the main menu, the account links and the home page's services.

A link names its target by URL name (``"accounts:login"``), or by path (``"/co-quan/"``) for a
page whose name is not settled yet.
A link whose page does not exist yet (the name does not reverse, the path does not resolve) is
left out, so the portal never shows a dead link while the capabilities arrive one by one.
Add a public page by adding a ``Link`` to the list it belongs to.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import NoReverseMatch, Resolver404, get_script_prefix, resolve, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

Label = str | Promise


@dataclass(frozen=True)
class Link:
    label: Label
    target: str  # URL name, or an absolute path starting with "/"
    description: Label = ""


@dataclass(frozen=True)
class ShownLink:
    label: Label
    href: str
    description: Label = ""
    current: bool = False


MAIN_MENU: tuple[Link, ...] = (
    Link(_("Trang chủ"), "portal:home"),
    Link(_("Thủ tục hành chính"), "portal:procedures:list"),
    Link(_("Danh bạ cơ quan"), "portal:directory:list"),
    Link(_("Tra cứu hồ sơ"), "portal:tracking:form"),
)

ACCOUNT_LINKS: tuple[Link, ...] = (
    Link(_("Đăng nhập"), "accounts:login"),
    Link(_("Đăng ký"), "accounts:register"),
)

HOME_SERVICES: tuple[Link, ...] = (
    Link(
        _("Tra cứu hồ sơ"),
        "portal:tracking:form",
        _("Xem tình trạng giải quyết hồ sơ bằng mã in trên giấy tiếp nhận."),
    ),
    Link(
        _("Hồ sơ của tôi"),
        "portal:dossiers:mine",
        _("Theo dõi, bổ sung hồ sơ đã nộp trực tuyến, nhận kết quả và đánh giá."),
    ),
    Link(
        _("Danh bạ cơ quan"),
        "portal:directory:list",
        _("Địa chỉ, điện thoại, thư điện tử của các sở, ngành, phường, xã trong thành phố."),
    ),
    Link(
        _("Đăng ký tài khoản"),
        "accounts:register",
        _("Tạo tài khoản công dân hoặc doanh nghiệp để nộp và theo dõi hồ sơ trực tuyến."),
    ),
    Link(
        _("Đăng nhập"),
        "accounts:login",
        _("Dành cho công dân, doanh nghiệp đã có tài khoản và cán bộ, công chức."),
    ),
)


def href_for(target: str) -> str | None:
    """The URL of an existing page, or None while the page is not there."""
    if target.startswith("/"):
        try:
            resolve(target)
        except Resolver404:
            return None
        return get_script_prefix() + target[1:]
    try:
        return reverse(target)
    except NoReverseMatch:
        return None


def shown(links: tuple[Link, ...], *, current_path: str = "") -> list[ShownLink]:
    result: list[ShownLink] = []
    for link in links:
        href = href_for(link.target)
        if href is None:
            continue
        result.append(ShownLink(link.label, href, link.description, current=href == current_path))
    return result
