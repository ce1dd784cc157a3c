"""The errors rashomon raises, grouped by what the user can do about them.

    RashomonError            the root: catch this to catch everything of ours
    ├── SourceError          an input cannot be read (missing, binary, unreachable, not a feed, ...)
    │   └── EmptyInput       an input holds nothing to analyse
    ├── ConfigError          a setting or option has a value we cannot use
    └── StoreError           the database cannot be opened, migrated or written

Every message says what failed, the offending value, and how to fix it.
"""

from __future__ import annotations

__all__ = ["RashomonError", "SourceError", "EmptyInput", "ConfigError", "StoreError"]


class RashomonError(Exception):
    """Root of every error rashomon raises on purpose."""


class SourceError(RashomonError):
    """An input (file, URL, feed, record) cannot be turned into articles."""

    def __init__(self, source: str, problem: str) -> None:
        super().__init__(f"{source}: {problem}")
        self.source = source
        self.problem = problem


class EmptyInput(SourceError):
    """An input was read but holds no article text."""


class ConfigError(RashomonError):
    """A setting has a value rashomon cannot use; the message lists valid ones."""


class StoreError(RashomonError):
    """The SQLite store cannot be opened, migrated or written."""
