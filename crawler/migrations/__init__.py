"""Alembic migrations; ``crawler.storage`` applies them at start."""
