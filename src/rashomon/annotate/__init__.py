"""Annotation: Article -> Annotated (being built; see docs/architecture.md)."""
