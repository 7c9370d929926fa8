"""Factories for the clubs domain."""

__all__: list[str] = []
