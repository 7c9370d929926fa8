"""Factories for the startups domain."""

__all__: list[str] = []
