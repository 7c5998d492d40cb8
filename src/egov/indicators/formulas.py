"""The formula language of indicators: a tiny, safe arithmetic over named fact sums.

    formula  := sum
    sum      := product (("+" | "-") product)*
    product  := unary (("*" | "/") unary)*
    unary    := "-" unary | atom
    atom     := NUMBER | NAME | "(" sum ")"

Names must be in the whitelist given (the source's fact fields). Nothing else is accepted: no
calls, attributes, comparisons or strings. Python's `eval` is never used. Division by zero gives
`NoData` (the figure has no denominator this period), never 0 and never an exception.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

MAX_LENGTH = 500
MAX_DEPTH = 30

_TOKEN = re.compile(r"\s*(?:(\d+(?:\.\d+)?)|([a-z_][a-z0-9_]*)|(.))")

# A number, a name, ("neg", node) or (operator, left, right).
Node = Decimal | str | tuple[Any, ...]


class FormulaError(ValueError):
    """The formula is not in the language (or names a field the source does not have)."""


class NoData(Exception):
    """The formula has no value for these figures (a zero denominator)."""


def _tokens(text: str) -> list[tuple[str, str]]:
    if len(text) > MAX_LENGTH:
        raise FormulaError("công thức quá dài")
    out: list[tuple[str, str]] = []
    pos = 0
    text = text.rstrip()
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if m is None:  # pragma: no cover - the pattern matches any character
            raise FormulaError(f"ký tự không hợp lệ ở vị trí {pos}")
        number, name, other = m.groups()
        if number is not None:
            out.append(("num", number))
        elif name is not None:
            out.append(("name", name))
        elif other in "+-*/()":
            out.append(("op", other))
        else:
            raise FormulaError(f"ký tự không được phép: {other!r}")
        pos = m.end()
    return out


class _Parser:
    def __init__(self, tokens: list[tuple[str, str]], names: frozenset[str]) -> None:
        self.tokens = tokens
        self.pos = 0
        self.names = names
        self.depth = 0

    def peek(self) -> tuple[str, str] | None:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def take(self) -> tuple[str, str]:
        token = self.peek()
        if token is None:
            raise FormulaError("công thức kết thúc giữa chừng")
        self.pos += 1
        return token

    def sum(self) -> Node:
        node = self.product()
        while (t := self.peek()) is not None and t[0] == "op" and t[1] in "+-":
            self.take()
            node = (t[1], node, self.product())
        return node

    def product(self) -> Node:
        node = self.unary()
        while (t := self.peek()) is not None and t[0] == "op" and t[1] in "*/":
            self.take()
            node = (t[1], node, self.unary())
        return node

    def unary(self) -> Node:
        t = self.peek()
        if t == ("op", "-"):
            self.take()
            return ("neg", self.unary())
        return self.atom()

    def atom(self) -> Node:
        kind, value = self.take()
        if kind == "num":
            return Decimal(value)
        if kind == "name":
            if value not in self.names:
                raise FormulaError(f"tên không có trong nguồn số liệu: {value}")
            return value
        if value == "(":
            self.depth += 1
            if self.depth > MAX_DEPTH:
                raise FormulaError("công thức lồng quá sâu")
            node = self.sum()
            if self.take() != ("op", ")"):
                raise FormulaError("thiếu dấu đóng ngoặc")
            self.depth -= 1
            return node
        raise FormulaError(f"không mong đợi {value!r}")


def parse(text: str, names: Iterable[str]) -> Node:
    """The formula's tree, or `FormulaError` saying what is wrong."""
    if not isinstance(text, str) or not text.strip():
        raise FormulaError("công thức trống")
    parser = _Parser(_tokens(text), frozenset(names))
    node = parser.sum()
    if parser.peek() is not None:
        raise FormulaError(f"thừa {parser.peek()[1]!r}")  # type: ignore[index]
    return node


def names_in(node: Node) -> set[str]:
    if isinstance(node, str):
        return {node}
    if isinstance(node, tuple):
        out: set[str] = set()
        for child in node[1:]:
            out |= names_in(child)  # type: ignore[arg-type]
        return out
    return set()


def evaluate(node: Node, values: Mapping[str, int | Decimal]) -> Decimal:
    """The value of a parsed formula; `NoData` on a zero denominator."""
    if isinstance(node, Decimal):
        return node
    if isinstance(node, str):
        return Decimal(values.get(node, 0) or 0)
    if node[0] == "neg":
        return -evaluate(node[1], values)
    op, left, right = node  # type: ignore[misc]
    a, b = evaluate(left, values), evaluate(right, values)
    if op == "+":
        return a + b
    if op == "-":
        return a - b
    if op == "*":
        return a * b
    if b == 0:
        raise NoData
    try:
        return a / b
    except InvalidOperation as exc:  # pragma: no cover - finite decimals only
        raise NoData from exc


Compiled = Callable[[Mapping[str, int | Decimal]], Decimal]


def compiled(node: Node) -> Compiled:
    """`evaluate` turned into nested functions once per formula: the same Decimal operations
    in the same order (so the same value, and `NoData` on a zero denominator), without
    walking the tree again for each of the thousands of figures a dashboard computes."""
    if isinstance(node, Decimal):
        number = node
        return lambda values: number
    if isinstance(node, str):
        name = node
        return lambda values: Decimal(values.get(name, 0) or 0)
    if node[0] == "neg":
        inner = compiled(node[1])
        return lambda values: -inner(values)
    op, left_node, right_node = node  # type: ignore[misc]
    left, right = compiled(left_node), compiled(right_node)
    if op == "+":
        return lambda values: left(values) + right(values)
    if op == "-":
        return lambda values: left(values) - right(values)
    if op == "*":
        return lambda values: left(values) * right(values)

    def divide(values: Mapping[str, int | Decimal]) -> Decimal:
        a, b = left(values), right(values)
        if b == 0:
            raise NoData
        try:
            return a / b
        except InvalidOperation as exc:  # pragma: no cover - finite decimals only
            raise NoData from exc

    return divide
