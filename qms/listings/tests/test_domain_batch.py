"""Reading the batch format: each bad line is its own error, never a crash."""

from __future__ import annotations

import json

import pytest

from qms.listings.domain.batch import BatchLineError, parse_line


def test_a_good_line():
    listing = parse_line(
        json.dumps(
            {
                "id": 7,
                "market": "cn",
                "category": "food/tea",
                "title": "龙井",
                "attributes": {"net_content": 250},
                "extra": "ignored",
            }
        )
    )
    assert listing["id"] == "7"
    assert listing["market"] == "CN"
    assert listing["attributes"] == {"net_content": "250"}


@pytest.mark.parametrize(
    ("line", "code"),
    [
        ("{not json", "invalid_json"),
        ("[1, 2]", "not_an_object"),
        ('{"category": "food", "title": "x"}', "id_required"),
        ('{"id": "1", "category": "weapons", "title": "x"}', "unknown_category"),
        ('{"id": "1", "category": "food", "title": ""}', "title_required"),
        ('{"id": "1", "market": "US", "category": "food", "title": "x"}', "unknown_market"),
        (
            '{"id": "1", "category": "food", "title": "x", "attributes": []}',
            "attributes_not_object",
        ),
        (
            '{"id": "1", "category": "food", "title": "x", "attributes": {"a": {}}}',
            "attribute_not_text",
        ),
        ('{"id": "1", "category": "food", "title": 5}', "title_not_text"),
        (json.dumps({"id": "1", "category": "food", "title": "x" * 501}), "title_too_long"),
    ],
)
def test_bad_lines(line, code):
    with pytest.raises(BatchLineError) as exc:
        parse_line(line)
    assert exc.value.code == code
    assert exc.value.as_dict(3)["line"] == 3
