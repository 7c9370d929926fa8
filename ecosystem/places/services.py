"""Reading and curating the communes and wards."""

from __future__ import annotations

from pathlib import Path

from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError

from ecosystem.core.errors import DomainError
from ecosystem.core.text import fold
from ecosystem.extensions import db
from ecosystem.places.models import Locality
from ecosystem.places.provinces import HOME_PROVINCE

REFERENCE_FILE = Path(__file__).parent / "data" / "thai-nguyen-communes-2025.txt"


class PlaceError(DomainError):
    """A rule of the place list refused the change."""


def read_reference_file(path: Path = REFERENCE_FILE) -> list[str]:
    lines = (line.strip() for line in path.read_text(encoding="utf-8").splitlines())
    return [line for line in lines if line and not line.startswith("#")]


def active_localities() -> list[Locality]:
    statement = db.select(Locality).where(Locality.is_active.is_(True)).order_by(Locality.search_name)
    return list(db.session.scalars(statement))


def all_localities() -> list[Locality]:
    return list(db.session.scalars(db.select(Locality).order_by(Locality.is_active.desc(), Locality.search_name)))


def get_active_locality(locality_id: int | None) -> Locality | None:
    if locality_id is None:
        return None
    locality = db.session.get(Locality, locality_id)
    return locality if locality is not None and locality.is_active else None


def keepable_locality(locality_id: int | None, current_locality_id: int | None = None) -> Locality | None:
    """The commune or ward a record may have: an active one, or the retired one it already has.

    Every domain asks this one rule: a unit the department retired stays on the records that already had
    it (an edit that leaves it unchanged is accepted), but nobody may choose it anew. None when refused.
    """
    if locality_id is None:
        return None
    if locality_id == current_locality_id:
        return db.session.get(Locality, locality_id)
    return get_active_locality(locality_id)


def offered_localities(current: Locality | None = None) -> list[tuple[int, str]]:
    """(id, name) of the communes and wards a form offers: the active ones, then the record's own retired one,
    marked as no longer in use."""
    offered = [(locality.id, locality.name) for locality in active_localities()]
    if current is not None and not current.is_active:
        offered.append((current.id, str(_l("%(name)s (no longer in use)", name=current.name))))
    return offered


def _check_name(name: str) -> str:
    name = " ".join(name.split())
    if not name.startswith(("Xã ", "Phường ", "Đặc khu ")):
        raise PlaceError(_l("The name starts with “Xã”, “Phường” or “Đặc khu”."))
    return name


def add_locality(name: str, province: str = HOME_PROVINCE) -> Locality:
    locality = Locality(name=_check_name(name), province=province, search_name=fold(name)[:100])
    db.session.add(locality)
    try:
        db.session.commit()
    except IntegrityError as error:
        db.session.rollback()
        raise PlaceError(_l("This commune or ward is already in the list.")) from error
    return locality


def rename_locality(locality: Locality, name: str) -> None:
    locality.name = _check_name(name)
    locality.search_name = fold(locality.name)[:100]  # folding may lengthen (北 → "Bei")
    try:
        db.session.commit()
    except IntegrityError as error:
        db.session.rollback()
        raise PlaceError(_l("This commune or ward is already in the list.")) from error


def set_locality_active(locality: Locality, active: bool) -> None:
    """Retired units stay attached to old profiles but are no longer offered."""
    locality.is_active = active
    db.session.commit()


def load_reference_localities(names: list[str] | None = None) -> int:
    """Add the reference communes and wards that are missing (idempotent); return how many."""
    names = names if names is not None else read_reference_file()
    existing = set(db.session.scalars(db.select(Locality.name).where(Locality.province == HOME_PROVINCE)))
    added = 0
    for name in names:
        if name not in existing:
            db.session.add(Locality(name=name, province=HOME_PROVINCE, search_name=fold(name)[:100]))
            added += 1
    return added
