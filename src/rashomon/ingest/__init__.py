"""Ingestion: files, HTML, URLs, feeds and bulk dumps become Articles.

(Being built; see docs/architecture.md for the interface.)
"""
