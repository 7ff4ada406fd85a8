import json

import pytest

from crawler.cli import main

PAGE = ("<html><head><meta charset='gbk'><title>江阴公安：共巡守澄_无锡_江苏长安网</title></head><body>"
        "<h1>江阴公安：共巡守澄</h1><div class='info'>发布时间：2023-01-19 08:47 来源：江阴市公安局</div>"
        "<div class='TRS_Editor'>"
        + "<p>组建多元群防群治队伍、警种联合制定科学的商圈巡防路线，"
          "使用智慧科技手段延伸防控触角，做好安全防范宣传。</p>" * 3
        + "<p><img src='W020230119.jpg' alt='巡逻'></p></div></body></html>")


def run(capsys, *argv) -> tuple[int, list[dict]]:
    status = main(["extract", *argv])
    lines = capsys.readouterr().out.splitlines()
    return status, [json.loads(line) for line in lines]


def test_one_json_line_per_file_and_errors_do_not_stop_the_run(tmp_path, capsys):
    page = tmp_path / "t20230119_3533419.shtml"
    page.write_bytes(PAGE.encode("gbk"))
    text = tmp_path / "notes.txt"
    text.write_text("没有标签的纯文本", encoding="utf-8")
    binary = tmp_path / "photo.png"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 20)

    status, lines = run(capsys, str(text), str(page), str(binary))

    assert status == 1  # some pages could not be read: each says why in its line
    assert [line["path"] for line in lines] == [str(text), str(page), str(binary)]
    assert ["error" in line for line in lines] == [True, False, True]
    article = lines[1]
    assert article["title"] == "江阴公安：共巡守澄"
    assert article["published_at"] == "2023-01-19T08:47:00+08:00"
    assert article["source"] == "江阴市公安局"
    assert article["body"].count("组建多元群防群治队伍") == 3
    assert {"author", "page_type", "images"} <= set(article)


def test_url_resolves_images_and_dates(tmp_path, capsys):
    page = tmp_path / "page.html"
    page.write_bytes(PAGE.replace("发布时间：2023-01-19 08:47 ", "").encode("gbk"))
    url = "http://www.jszf.gov.cn/zyyg/jscawq_1/wuxi/202301/t20230119_3533419.shtml"
    _, [line] = run(capsys, "--url", url, str(page))
    assert line["images"] == [{"src": "http://www.jszf.gov.cn/zyyg/jscawq_1/wuxi/202301/W020230119.jpg",
                               "alt": "巡逻"}]
    assert line["published_at"] == "2023-01-19T00:00:00+08:00"


def test_a_missing_file_is_a_usage_error_before_any_page_is_read(tmp_path, capsys):
    page = tmp_path / "page.html"
    page.write_bytes(PAGE.encode("gbk"))
    assert main(["extract", str(page), str(tmp_path / "missing.html")]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == f"crawler extract: no such file: {tmp_path / 'missing.html'}\n"


def test_bad_url_is_a_usage_error(tmp_path, capsys):
    assert main(["extract", "--url", "www.example.cn/a.html", str(tmp_path / "x.html")]) == 2
    assert "--url" in capsys.readouterr().err


def test_files_are_required():
    with pytest.raises(SystemExit) as exit_info:
        main(["extract"])
    assert exit_info.value.code == 2

