"""Near-duplicate titles: SimHash fingerprints and band keys."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from qms.listings.domain.similarity import (
    band_keys,
    hamming,
    near_duplicate,
    title_fingerprint,
)

TITLE = "美的电热水壶 1.7L 304不锈钢 家用大容量 自动断电 MK-HJ1705"


def test_evasive_copies_of_a_title_are_near_duplicates():
    base = title_fingerprint(TITLE)
    for copy in (
        TITLE,
        "美的電熱水壺 1.7L 304不鏽鋼 家用大容量 自動斷電 MK-HJ1705",  # traditional
        "美的电热水壶１.７Ｌ ３０４不锈钢 家用大容量 自动断电 ＭＫ-ＨＪ1705",  # full width
        "美的 电热水壶 1.7L  304 不锈钢·家用大容量·自动断电 MK HJ1705",  # spacing, symbols
    ):
        assert near_duplicate(base, title_fingerprint(copy)), copy


def test_different_products_are_not():
    base = title_fingerprint(TITLE)
    for other in (
        "苏泊尔电饭煲 4L 智能预约 IH加热 不粘内胆",
        "Wireless over-ear headphones, Bluetooth 5.3, 40 h battery",
        "西湖龙井 明前特级 2026新茶 250g 礼盒装",
    ):
        assert hamming(base, title_fingerprint(other)) > 10, other


def test_empty_titles_are_never_duplicates():
    assert title_fingerprint("  ，。") == 0
    assert not near_duplicate(0, 0)


@given(a=st.integers(0, 2**64 - 1), flips=st.sets(st.integers(0, 63), max_size=3))
def test_within_three_bits_a_band_is_shared(a, flips):
    b = a
    for bit in flips:
        b ^= 1 << bit
    assert hamming(a, b) == len(flips)
    assert set(band_keys(a)) & set(band_keys(b))
