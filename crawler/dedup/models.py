"""Tables of the near-duplicate index: one signature per article, one key per LSH band.

Both live in the database next to ``articles``, so the index outlasts a run, is
shared by spiders running at the same time, and is never rebuilt from bodies.
"""

from __future__ import annotations

from sqlalchemy import BigInteger, ForeignKey, Integer, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from crawler.models import Base


class ArticleSignature(Base):
    """What the index knows of an article: the hash and parameters its signature was made from.

    ``signature`` is NULL for a body too short to compare; such an article stays alone.
    """

    __tablename__ = "dedup_signatures"

    article_id: Mapped[int] = mapped_column(
        Integer, ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True)
    content_hash: Mapped[str | None] = mapped_column(String(64))
    params: Mapped[str] = mapped_column(String(64))
    signature: Mapped[bytes | None] = mapped_column(LargeBinary)


class SignatureBand(Base):
    """One LSH bucket entry; articles sharing a bucket are candidate near-duplicates.

    The bucket key hashes the band number with the band's values, so one column
    (the primary key's prefix) finds all candidates.  No foreign key: an entry left
    by a deleted article is harmless, since candidates are checked against
    ``dedup_signatures``, and a cascade would scan this large table.
    """

    __tablename__ = "dedup_bands"
    __table_args__ = {"sqlite_with_rowid": False}

    bucket: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    article_id: Mapped[int] = mapped_column(Integer, primary_key=True)
