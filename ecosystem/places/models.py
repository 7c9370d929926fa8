"""Communes and wards (xã, phường): reference data the department keeps up to date."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ecosystem.extensions import db
from ecosystem.timeutil import UTCDateTime, utcnow


class Locality(db.Model):
    __tablename__ = "localities"
    __table_args__ = (UniqueConstraint("province", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100))  # "Phường Phan Đình Phùng", "Xã Đại Từ"
    province: Mapped[str] = mapped_column(String(60))
    search_name: Mapped[str] = mapped_column(String(100), index=True)
    is_active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    @property
    def kind(self) -> str:
        return "ward" if self.name.startswith("Phường") else "commune"

    def __repr__(self) -> str:
        return f"<Locality {self.id} {self.name}>"
