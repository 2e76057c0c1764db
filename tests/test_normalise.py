import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pipeline.normalise import normalise, normalise_str


@pytest.mark.parametrize(
    ("given_text", "expected"),
    [
        ("Khánh Hoà", "Khánh Hòa"),
        ("thuỷ điện", "thủy điện"),
        ("khoẻ mạnh", "khỏe mạnh"),
        ("THUỶ", "THỦY"),
        ("quý khách", "quý khách"),  # "qu" + "y": the mark stays on y
        ("hoàng hôn", "hoàng hôn"),  # closed syllable: unchanged
        ("thuyền", "thuyền"),
        (unicodedata.normalize("NFD", "Thanh Hoá"), "Thanh Hóa"),
        ("công   nhân\t đình công", "công nhân đình công"),
        ("đoạn một.\n\n  đoạn hai.", "đoạn một.\nđoạn hai."),
        ("plain ascii", "plain ascii"),
    ],
)
def test_one_form(given_text: str, expected: str) -> None:
    assert normalise_str(given_text) == expected
    assert unicodedata.is_normalized("NFC", normalise_str(given_text))


def test_span_maps_back_to_the_original_text() -> None:
    original = unicodedata.normalize("NFD", "Sáng 12/3,   công nhân ở Thanh Hoá  đình công.")
    norm = normalise(original)
    start = norm.text.index("Thanh Hóa")
    o_start, o_end = norm.to_original(start, start + len("Thanh Hóa"))
    assert original[o_start:o_end] == unicodedata.normalize("NFD", "Thanh Hoá")
    assert norm.to_original(0, len(norm.text)) == (0, len(original))


words = st.sampled_from(["Hoà", "thuỷ", "công", "nhân", "đình", unicodedata.normalize("NFD", "khoẻ"),
                         "quý", "12/3", "Thanh", "Hóa", "x"])
gaps = st.sampled_from([" ", "  ", "\t", "\n", " \n\n ", "\u00a0"])


@given(st.lists(st.tuples(words, gaps), min_size=1, max_size=12))
def test_every_word_maps_back_to_itself(pieces: list[tuple[str, str]]) -> None:
    original = "".join(w + g for w, g in pieces)
    norm = normalise(original)
    cursor = 0
    for word, _ in pieces:
        expected = normalise_str(word)
        at = norm.text.index(expected, cursor)
        o_start, o_end = norm.to_original(at, at + len(expected))
        assert normalise_str(original[o_start:o_end]) == expected
        cursor = at + len(expected)
