"""Deduplication across runs and sites: exact hashes (``text``), MinHash near-duplicates
(``minhash``, ``index``), clusters (``clusters``) and the clustering at spider close
(``extension``)."""
