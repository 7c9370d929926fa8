"""Demo data for the clubs domain."""


def seed() -> list[str]:
    """Create what is missing; return lines to print."""
    return []
