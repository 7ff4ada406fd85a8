"""``crawler dups``: clusters with their sites, URLs, titles and similarity."""

from crawler.cli import main
from crawler.dedup.text import content_hash
from crawler.storage import Store

STORY = ("炎热的夏夜,川流不息的马路上,充满烟火气的巷子里,一抹抹亮眼的“警察蓝”护佑平安。\n"
         "自夏季治安打击整治“百日行动”开展以来,浙江各级公安机关闻令而动,以雷霆之势持续清除风险隐患。")
OTHER = "南通市公安局在全市工业园区设立护企警务站,民警常驻园区,为企业提供法律咨询、安全防范和纠纷调解等服务。"


def corpus(db):
    store = Store.migrated(db)
    store.upsert_articles([
        {"site": "jazx", "url": "https://jazx.example/1.html", "title": "让老百姓感受到安全", "body": STORY,
         "published_at": "2022-08-15", "content_hash": content_hash(STORY)},
        {"site": "fzsdzk", "url": "http://fzsdzk.com/61457.html", "title": "擦亮平安底色",
         "body": STORY + "\n来源:人民公安报", "published_at": "2022-08-16"},
        {"site": "wjga", "url": "http://wjga.example/1.html", "title": "护企警务站", "body": OTHER},
    ])
    store.close()
    return db


def test_lists_clusters_after_an_update_with_canonical_first(database_url, capsys):
    db = corpus(database_url)
    assert main(["dups", "--db", str(db), "--update"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "cluster 1: 2 articles, 2 sites (fzsdzk, jazx)"
    assert lines[1].split()[:4] == ["*", "2022-08-15", "jazx", "1.00"]
    assert lines[1].endswith("https://jazx.example/1.html  让老百姓感受到安全")
    assert lines[2].split()[:2] == ["2022-08-16", "fzsdzk"] and 0.5 <= float(lines[2].split()[2]) < 1
    assert lines[3:] == ["1 clusters of duplicates, 2 articles"]


def test_without_update_it_says_what_is_not_clustered(database_url, capsys):
    db = corpus(database_url)
    assert main(["dups", "--db", str(db)]) == 0
    assert capsys.readouterr().out.splitlines() == [
        "0 clusters of duplicates, 0 articles", "3 articles are not clustered yet: run with --update"]


def test_site_filter_and_unknown_site(database_url, capsys):
    db = corpus(database_url)
    main(["dups", "--db", str(db), "--update", "--site", "wjga"])
    assert capsys.readouterr().out.splitlines() == ["0 clusters of duplicates, 0 articles (with an article of wjga)"]
    main(["dups", "--db", str(db), "--site", "jazx"])
    assert capsys.readouterr().out.startswith("cluster 1: 2 articles")
    assert main(["dups", "--db", str(db), "--site", "nosuch"]) == 2
    assert "no articles of site 'nosuch'" in capsys.readouterr().err
