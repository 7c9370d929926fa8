"""Demo data for the directory domain."""


def seed() -> list[str]:
    """Create what is missing; return lines to print."""
    return []
