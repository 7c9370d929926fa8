"""Factories for the directory domain."""

__all__: list[str] = []
