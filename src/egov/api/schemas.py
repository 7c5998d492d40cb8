"""Schemas shared by every app's API: the problem document (RFC 9457)."""

from __future__ import annotations

from ninja import Field, Schema


class ProblemOut(Schema):
    """What every error answers, as ``application/problem+json``."""

    type: str = Field(..., examples=["urn:egov:error:validation_failed"])
    title: str = Field(..., examples=["Dữ liệu gửi lên không hợp lệ."])
    status: int = Field(..., examples=[422])
    code: str = Field(..., examples=["validation_failed"])
    instance: str | None = Field(None, examples=["/api/v1/agencies/"])
    errors: dict[str, list[str]] | None = Field(
        None, description="Lỗi theo từng trường", examples=[{"name": ["Trường này là bắt buộc."]}]
    )
