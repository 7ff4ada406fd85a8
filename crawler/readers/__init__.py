"""Page readers per CMS dialect, and the markup that tells the dialect of a page.

``READERS[cms]`` is the reader class of a dialect; :func:`detect_cms` names the dialect
of a page from the markers its CMS leaves (each dialect module documents its evidence).
"""

from __future__ import annotations

import re

from crawler.readers.base import GENERIC, Reader, Reading
from crawler.readers.empirecms import EmpireCMSReader
from crawler.readers.phpcms import PHPCMSReader
from crawler.readers.trs import TRSReader

READERS: dict[str, type[Reader]] = {GENERIC: Reader, "trs": TRSReader, "empirecms": EmpireCMSReader,
                                    "phpcms": PHPCMSReader}

# Markers each CMS leaves in the pages it publishes: meta tags, classes, script calls,
# system paths.
MARKERS: dict[str, tuple[tuple[str, re.Pattern], ...]] = {
    "trs": (
        ("meta ArticleTitle/PubDate/ContentSource/ColumnName",
         re.compile(r"<meta\s+name=[\"'](?:ArticleTitle|PubDate|ContentSource|ColumnName)[\"']", re.I)),
        ("TRS body class", re.compile(r"class=[\"'][^\"']*\b(?:TRS_Editor|TRS_UEDITOR|Custom_UnionStyle)\b")),
        ("createPageHTML pager", re.compile(r"createPageHTML\(")),
        ("tYYYYMMDD_ID URL", re.compile(r"/t\d{8}_\d+(?:_\d+)?\.s?html?\b")),
        ("oldsrc image attribute", re.compile(r"\boldsrc=")),
    ),
    "empirecms": (
        ("/e/public/ system path", re.compile(r"/e/public/(?:ViewClick|digg|onclick|ClickNum)", re.I)),
        ("/e/extend/ or /e/member/ path", re.compile(r"/e/(?:extend|member|search|enews|DoPrint)/", re.I)),
        ("skin/ecms or /d/file/ path", re.compile(r"skin/ecms|/d/file/")),
        ("p.pageLink pager", re.compile(r"class=[\"']pageLink[\"']")),
        ("EmpireCMS name", re.compile(r"EmpireCMS|帝国CMS|phome\.net", re.I)),
    ),
    "phpcms": (
        ("/statics/ paths", re.compile(r"/statics/(?:js|css|images)/")),
        ("index.php?m=…&c=…&a=… route", re.compile(r"index\.php\?m=\w+&(?:amp;)?c=\w+&(?:amp;)?a=\w+")),
        ("api.php?op=count counter", re.compile(r"api\.php\?op=count")),
        ("div#Article", re.compile(r"id=[\"']Article[\"']")),
        ("PHPCMS name", re.compile(r"phpcms", re.I)),
    ),
}


def detect_cms(text: str, url: str = "") -> tuple[str, list[str]]:
    """(dialect, evidence): the dialect with the most distinct markers, else generic."""
    best = GENERIC
    evidence: list[str] = []
    for cms, markers in MARKERS.items():
        found = [label for label, pattern in markers if pattern.search(text) or pattern.search(url)]
        if len(found) > len(evidence):
            best, evidence = cms, found
    return best, evidence


__all__ = ["READERS", "EmpireCMSReader", "PHPCMSReader", "Reader", "Reading", "TRSReader", "detect_cms"]
