"""Alembic migrations; ``crawler.storage.migrate`` applies them for crawls, ``reparse`` and ``crawler migrate``."""
