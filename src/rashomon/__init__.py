"""rashomon: one news event through every outlet's eyes."""

__version__ = "0.1.0"
