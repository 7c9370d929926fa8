"""Demo data of places: the province's reference communes and wards."""

from ecosystem.places.services import load_reference_localities


def seed() -> list[str]:
    load_reference_localities()
    return []
