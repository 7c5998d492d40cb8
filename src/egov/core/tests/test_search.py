"""Accent-insensitive Vietnamese search, the same on SQLite and PostgreSQL."""

from __future__ import annotations

import unicodedata

import pytest
from django.apps import apps as django_apps
from django.db import connection
from django.db.migrations.state import ProjectState

from egov.core.models import StoredFile
from egov.core.search import (
    Fold,
    TrigramIndex,
    fold,
    search_filter,
    search_terms,
    trigram_index_name,
)

TITLES = [
    "Quyết định về việc ban hành Quy chế công nghệ thông tin",
    "Đề án chuyển đổi số thành phố Đà Nẵng",
    "Công văn đôn đốc thực hiện",
    "Báo cáo tình hình kinh tế - xã hội",
]


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Quyết định", "quyet dinh"),
        ("ĐÀ NẴNG", "da nang"),
        ("đường Điện Biên Phủ", "duong dien bien phu"),
        ("  Ủy   ban\tnhân\n dân ", "uy ban nhan dan"),
        ("Người ưu tiên ơn", "nguoi uu tien on"),
        ("", ""),
        (None, ""),
    ],
)
def test_fold(text, folded):
    assert fold(text) == folded


def test_fold_decomposed_input_equals_composed():
    composed = "Quyết định Đà Nẵng"
    assert fold(unicodedata.normalize("NFD", composed)) == fold(composed) == "quyet dinh da nang"


def test_search_terms_are_folded_and_distinct():
    assert search_terms("Quyết  quyet ĐỊNH") == ["quyet", "dinh"]


def _files(*names: str) -> None:
    for i, name in enumerate(names):
        StoredFile.objects.create(
            sha256=f"{i:064x}",
            size=1,
            kind="txt",
            content_type="text/plain",
            original_name=fold(name),
        )


def _matches(query: str) -> list[str]:
    return sorted(
        StoredFile.objects.filter(search_filter("original_name", query)).values_list(
            "original_name", flat=True
        )
    )


@pytest.mark.django_db
def test_search_filter_finds_without_accents_and_all_terms():
    _files(*TITLES)
    assert _matches("quyet dinh") == [fold(TITLES[0])]
    assert _matches("Quyết Định") == [fold(TITLES[0])]
    assert _matches("cong nghe thong tin") == [fold(TITLES[0])]
    # "d" finds "đ": Đề án, Đà Nẵng, đôn đốc, Quyết định
    assert len(_matches("d")) == 3
    assert _matches("don doc") == [fold(TITLES[2])]
    # every term must match (AND)
    assert _matches("da nang cong van") == []
    assert len(_matches("")) == 4


@pytest.mark.django_db
def test_search_filter_treats_like_wildcards_literally():
    _files("100% hoàn thành", "1000 hồ sơ")
    assert _matches("100%") == ["100% hoan thanh"]
    assert _matches("_") == []


@pytest.mark.django_db
def test_sql_egov_fold_agrees_with_python_fold():
    samples = [*TITLES, "  ỦY   BAN  Nhân dân  ", unicodedata.normalize("NFD", "Quyết định đồng ý")]
    for text in samples:
        with connection.cursor() as cursor:
            cursor.execute("SELECT egov_fold(%s)", [text])
            (folded,) = cursor.fetchone()
        assert folded == fold(text), text


@pytest.mark.django_db
def test_fold_expression_in_queries():
    StoredFile.objects.create(
        sha256="a" * 64, size=1, kind="txt", content_type="text/plain", original_name="Đơn đề nghị"
    )
    row = StoredFile.objects.annotate(f=Fold("original_name")).get()
    assert row.f == "don de nghi"


def test_trigram_index_name_fits_postgres():
    assert trigram_index_name("docs", "search_text") == "docs_search_text_trgm"
    long = trigram_index_name("x" * 60, "search_text")
    assert len(long) <= 63
    assert long != trigram_index_name("y" * 60, "search_text")


def _index_exists(name: str) -> bool:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = %s", [name])
        else:
            cursor.execute(
                "SELECT sql FROM sqlite_master WHERE type = 'index' AND name = %s", [name]
            )
        row = cursor.fetchone()
    return row is not None and (
        "gin_trgm_ops" in row[0] if connection.vendor == "postgresql" else True
    )


@pytest.mark.django_db(transaction=True)
def test_trigram_index_operation_postgres_only():
    state = ProjectState.from_apps(django_apps)
    operation = TrigramIndex("storedfile", "original_name")
    name = trigram_index_name("core_storedfile", "original_name")
    with connection.schema_editor() as editor:
        operation.database_forwards("core", editor, state, state)
    try:
        assert _index_exists(name) is (connection.vendor == "postgresql")
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(
                    "EXPLAIN SELECT 1 FROM core_storedfile WHERE original_name LIKE %s", ["%quyet%"]
                )
                assert (
                    cursor.fetchall()
                )  # the index is usable by the planner (plan is data-dependent)
    finally:
        with connection.schema_editor() as editor:
            operation.database_backwards("core", editor, state, state)
    assert not _index_exists(name)
    assert operation.deconstruct() == (
        "egov.core.search.TrigramIndex",
        [],
        {"model_name": "storedfile", "field_name": "original_name"},
    )


@pytest.mark.django_db
def test_postgres_has_search_extensions():
    if connection.vendor != "postgresql":
        pytest.skip("extensions exist only on PostgreSQL; SQLite folds with egov_fold in Python")
    with connection.cursor() as cursor:
        cursor.execute("SELECT extname FROM pg_extension WHERE extname IN ('unaccent', 'pg_trgm')")
        assert {r[0] for r in cursor.fetchall()} == {"unaccent", "pg_trgm"}
        cursor.execute("SELECT provolatile FROM pg_proc WHERE proname = 'egov_fold'")
        assert cursor.fetchone()[0] == "i"  # IMMUTABLE: usable in expression indexes
