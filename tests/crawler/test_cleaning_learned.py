import random

import pytest

from crawler.cleaning.learned import learn_boilerplate, remove_paragraphs

FOOTER = "欢迎关注阳湖网微信公众号"


def site(n_articles, shared_in=0, shared=FOOTER):
    return [f"第{i}篇文章的正文。\n" + (shared if i < shared_in else f"第{i}篇的结尾。") for i in range(n_articles)]


def test_a_paragraph_in_k_distinct_articles_is_learned():
    assert learn_boilerplate(site(10, shared_in=5), min_articles=5, min_site_articles=10) == {FOOTER}


def test_below_k_or_on_a_small_site_nothing_is_learned():
    assert learn_boilerplate(site(10, shared_in=4), min_articles=5, min_site_articles=10) == frozenset()
    assert learn_boilerplate(site(9, shared_in=9), min_articles=5, min_site_articles=10) == frozenset()


def test_identical_stored_bodies_count_once():
    bodies = ["甲文。\n" + FOOTER] * 6 + site(10)
    assert learn_boilerplate(bodies, min_articles=3, min_site_articles=5) == frozenset()


def test_a_quoted_paragraph_is_not_learned():
    original = "省公安厅发布夏季治安打击整治“百日行动”十大典型案例。"
    bodies = [*site(20), original + "\n其他内容。", "引述:\n" + original]
    assert original not in learn_boilerplate(bodies, min_articles=3, min_site_articles=5)


def test_k_below_three_is_refused():
    with pytest.raises(ValueError):
        learn_boilerplate(site(10), min_articles=2, min_site_articles=1)


def test_learning_does_not_depend_on_order():
    bodies = site(30, shared_in=12)
    shuffled = bodies[:]
    random.Random(7).shuffle(shuffled)
    assert learn_boilerplate(bodies, min_articles=5, min_site_articles=10) == \
        learn_boilerplate(shuffled, min_articles=5, min_site_articles=10)


def test_learned_paragraphs_are_removed_from_html():
    html = f"<p>正文。</p><p>\u3000{FOOTER}</p><div>扫码<br>{FOOTER}</div>"
    assert remove_paragraphs(html, frozenset({FOOTER})) == "<p>正文。</p><div>扫码<br></div>"
    assert remove_paragraphs(html, frozenset()) == html
