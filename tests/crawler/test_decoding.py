import codecs

import pytest

from crawler.decoding import UndecodableError, declared_encodings, decode_html, sniff_encoding

ARTICLE = ("<html><body><h1>江阴公安：“共巡守澄”让城市更美好</h1><p>" +
           "组建多元群防群治队伍、警种联合制定科学的商圈巡防路线，使用智慧科技手段延伸防控触角。" * 8 +
           "</p></body></html>")
# 镕 and 喆 are outside GB2312 but in GBK: pages labelled gb2312 carry them.
GBK_ONLY = "<p>朱镕基、张喆出席会议，强调平安建设的重要性，要求各地公安机关履职尽责。</p>" * 5
TRADITIONAL = ("<html><body><p>"
               + "臺灣的新聞報導，警察機關今天表示，將加強治安維護工作。民眾若發現可疑人物，請立即報案。" * 6 +
               "</p></body></html>")


def meta(charset: str) -> str:
    return f'<meta http-equiv="Content-Type" content="text/html; charset={charset}">'


def test_bom_wins_over_declarations():
    body = codecs.BOM_UTF8 + (meta("gbk") + ARTICLE).encode("utf-8")
    text, encoding = decode_html(body, {"Content-Type": "text/html; charset=gbk"})
    assert encoding == "utf-8"
    assert text.startswith("<meta") and "江阴公安" in text


def test_utf16_bom():
    body = codecs.BOM_UTF16_LE + ARTICLE.encode("utf-16-le")
    text, encoding = decode_html(body)
    assert encoding == "utf-16-le" and "江阴公安" in text


def test_utf8_declared_as_gb2312_is_read_as_utf8():
    body = (meta("gb2312") + ARTICLE).encode("utf-8")
    assert decode_html(body) == (meta("gb2312") + ARTICLE, "utf-8")


def test_gb2312_label_is_read_as_gb18030():
    body = (meta("gb2312") + GBK_ONLY).encode("gbk")
    text, encoding = decode_html(body)
    assert encoding == "gb18030"
    assert "朱镕基" in text and "张喆" in text


def test_gbk_declared_as_utf8_is_read_as_gbk():
    body = (meta("utf-8") + ARTICLE).encode("gbk")
    text, encoding = decode_html(body)
    assert encoding == "gb18030" and "江阴公安" in text


def test_header_charset_used_when_page_declares_nothing():
    body = ARTICLE.encode("gbk")
    text, encoding = decode_html(body, {b"Content-Type": [b"text/html; charset=GBK"]})
    assert encoding == "gb18030" and "共巡守澄" in text


def test_multi_byte_declaration_preferred_over_latin1_header():
    body = (meta("gb2312") + ARTICLE).encode("gbk")
    text, encoding = decode_html(body, {"content-type": "text/html; charset=ISO-8859-1"})
    assert encoding == "gb18030" and "江阴公安" in text


def test_xml_declaration_counts():
    body = ('<?xml version="1.0" encoding="gb2312"?>' + ARTICLE).encode("gbk")
    assert declared_encodings(body) == ["gb18030"]
    assert sniff_encoding(body) == "gb18030"


def test_a_corrupt_byte_does_not_throw_the_page_to_another_codec():
    encoded = (meta("gbk") + ARTICLE).encode("gbk")
    damaged = encoded.index("共".encode("gbk"))
    body = encoded[:damaged] + b"\xff\xff" + encoded[damaged + 2:]
    text, encoding = decode_html(body)
    assert encoding == "gb18030"
    assert "组建多元群防群治队伍" in text and text.count("\ufffd") == 2


def test_truncated_utf8_page_stays_utf8():
    body = ARTICLE.encode("utf-8")[:-20] + "公".encode()[:2]
    text, encoding = decode_html(body)
    assert encoding == "utf-8" and "组建多元" in text


def test_undeclared_gbk_with_a_corrupt_byte():
    encoded = ARTICLE.encode("gbk")
    body = encoded[:300] + b"\x80" + encoded[300:]
    assert sniff_encoding(body) == "gb18030"


def test_undeclared_big5():
    text, encoding = decode_html(TRADITIONAL.encode("big5"))
    assert encoding == "big5hkscs" and "警察機關" in text


def test_unknown_declared_charset_is_ignored():
    body = (meta("x-no-such-charset") + ARTICLE).encode("gbk")
    assert declared_encodings(body) == []
    assert sniff_encoding(body) == "gb18030"


def test_ascii_is_utf8():
    assert sniff_encoding(b"<html><body>plain</body></html>") == "utf-8"


def test_binary_is_undecodable():
    with pytest.raises(UndecodableError):
        decode_html(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 20)


def misread(text: str, codec: str, reader: str) -> str:
    """``text`` as a tool that read its ``codec`` bytes as ``reader`` shows it; bytes that
    CP-1252 leaves undefined become the C1 controls, as Windows reads them."""
    return "".join(bytes([byte]).decode(reader, errors="ignore") or chr(byte)
                   for byte in text.encode(codec))


@pytest.mark.parametrize("codec", ["gbk", "utf-8"])
@pytest.mark.parametrize("reader", ["latin-1", "cp1252"])
def test_double_encoded_text_is_repaired(codec, reader):
    """GBK (or UTF-8) bytes read as Latin-1/CP-1252 and saved as UTF-8: the page is Chinese again."""
    page = meta("gb2312") + ARTICLE
    body = misread(page, codec, reader).encode("utf-8")
    assert "江阴公安" not in body.decode("utf-8")
    text, _ = decode_html(body)
    assert text == page


def test_text_double_encoded_twice_is_repaired():
    page = meta("gb2312") + ARTICLE
    twice = misread(misread(page, "gbk", "latin-1"), "utf-8", "latin-1")
    assert decode_html(twice.encode("utf-8"))[0] == page


def test_latin_text_with_a_few_accents_is_left_alone():
    page = ("<html><body><p>" + "Café, naïve façade; the résumé of São Paulo’s crème brûlée. " * 10
            + "</p></body></html>")
    assert decode_html(page.encode("utf-8"))[0] == page
