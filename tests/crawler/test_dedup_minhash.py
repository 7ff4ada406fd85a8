"""MinHash signatures, band keys and the parameters behind them."""

import numpy as np
import pytest
from scrapy.settings import Settings

from crawler.dedup.minhash import DedupParams, band_keys, optimal_band_layout, shingles, signature, similarity

PARAGRAPHS = ["炎热的夏夜,川流不息的马路上,充满烟火气的巷子里,一抹抹亮眼的“警察蓝”护佑平安。",
              "自夏季治安打击整治“百日行动”开展以来,浙江各级公安机关闻令而动,以雷霆之势持续清除风险隐患。",
              "截至目前,全省共投入巡防力量76.8万人次,巡逻盘查抓获现行违法犯罪嫌疑人1.63万名。",
              "浙江省公安厅第一时间全面部署全省公安机关夏季治安打击整治“百日行动”。"]


def test_settings_reach_the_parameters():
    params = DedupParams.from_settings(Settings({"DEDUP_SHINGLE_SIZE": "4", "DEDUP_NUM_PERM": "64",
                                                 "DEDUP_THRESHOLD": "0.6", "DEDUP_BANDS": "16",
                                                 "DEDUP_ROWS": "4", "DEDUP_MIN_CHARS": "20"}))
    assert (params.shingle_size, params.num_perm, params.threshold, params.min_chars) == (4, 64, 0.6, 20)
    assert params.band_layout == (16, 4)
    assert params.key != DedupParams().key


def test_band_layout_follows_the_threshold_when_not_given():
    loose, strict = DedupParams(threshold=0.3).band_layout, DedupParams(threshold=0.8).band_layout
    assert loose[1] < strict[1]
    assert loose[0] * loose[1] <= 128 and strict[0] * strict[1] <= 128


@pytest.mark.parametrize("num_perm", [64, 128, 256])
def test_the_band_layout_is_the_one_datasketch_chooses(num_perm):
    from datasketch import MinHashLSH

    for threshold in (0.1, 0.25, 0.3, 0.45, 0.5, 0.55, 0.7, 0.8):
        lsh = MinHashLSH(threshold=threshold, num_perm=num_perm)
        assert optimal_band_layout(threshold, num_perm) == (lsh.b, lsh.r)


@pytest.mark.parametrize("bad", [dict(bands=8), dict(bands=40, rows=4), dict(threshold=0.0)])
def test_inconsistent_parameters_are_refused(bad):
    with pytest.raises(ValueError):
        DedupParams(**bad)


def test_shingles_of_a_short_text_are_the_text():
    assert shingles("平安", 5) == {"平安"}
    assert shingles("平安建设工作", 5) == {"平安建设工", "安建设工作"}


def test_estimated_similarity_tracks_true_jaccard():
    params = DedupParams()
    full, reprint = "".join(PARAGRAPHS), "".join(PARAGRAPHS[:3]) + "来源:人民公安报"
    a, b = shingles(full, 5), shingles(reprint, 5)
    true = len(a & b) / len(a | b)
    estimate = similarity(signature(full, params), signature(reprint, params))
    assert abs(estimate - true) < 0.15
    unrelated = signature("武进区经济向好趋势不断巩固,警民联调室建出和谐品牌,常武一体服务全局。" * 3, params)
    assert similarity(signature(full, params), unrelated) < 0.1


def test_signatures_are_reproducible_and_compact():
    params = DedupParams()
    first, second = signature("".join(PARAGRAPHS), params), signature("".join(PARAGRAPHS), params)
    assert first.dtype == np.uint32 and len(first) == params.num_perm
    assert np.array_equal(first, second)
    assert band_keys(first, params) == band_keys(second, params)


def test_band_keys_differ_per_band_even_for_equal_values():
    params = DedupParams(num_perm=8, bands=2, rows=4)
    keys = band_keys(np.zeros(8, dtype=np.uint32), params)
    assert len(keys) == 2 and keys[0] != keys[1]
    assert all(-2**63 <= key < 2**63 for key in keys)
