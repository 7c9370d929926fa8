"""Demo data for the startups domain."""


def seed() -> list[str]:
    """Create what is missing; return lines to print."""
    return []
