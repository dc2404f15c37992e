"""Reading: decoding, mojibake repair with a record of each repair, checksums, errors."""

from __future__ import annotations

import hashlib

import pytest
from hypothesis import given
from hypothesis import strategies as st

from medkg.errors import SourceError
from medkg.read.decode import read_text, repair_text


def test_mojibake_is_repaired_and_recorded() -> None:
    raw = "eGFR <30 mL/min/1.73 mÂ² or on dialysis".encode()
    source = read_text(raw, "doc.md")
    assert source.text == "eGFR <30 mL/min/1.73 m² or on dialysis"
    assert len(source.repairs) == 1
    repair = source.repairs[0]
    assert (repair.found, repair.repaired) == ("mÂ²", "m²")
    assert source.text[repair.start : repair.start + len(repair.repaired)] == "m²"
    assert source.sha256 == hashlib.sha256(raw).hexdigest()
    assert source.size == len(raw)


def test_quotes_and_dashes_survive_repair() -> None:
    text, repairs = repair_text("the patientâ€™s dose â€“ 2Â°C; “quoted” ‘single’")
    assert text == "the patient’s dose – 2°C; “quoted” ‘single’"
    assert [r.repaired for r in repairs] != []


def test_clean_text_is_untouched() -> None:
    text = "Plain text with “curly quotes”, ﬁ ligature and ｗｉｄｅ letters."
    assert repair_text(text) == (text, ())


def test_newlines_and_bom_are_normalised() -> None:
    source = read_text(b"\xef\xbb\xbfa\r\nb\rc\n", "x.txt")
    assert source.text == "a\nb\nc\n"


def test_invalid_utf8_names_file_and_line() -> None:
    with pytest.raises(SourceError) as caught:
        read_text(b"line one\nline \xff two\n", "broken.txt")
    message = str(caught.value)
    assert message.startswith("broken.txt:2: is not valid UTF-8")
    assert "re-save the file as UTF-8" in message


def test_binary_file_is_refused() -> None:
    with pytest.raises(SourceError, match=r"^image\.png: contains NUL bytes: it is a binary file"):
        read_text(b"\x89PNG\x00\x00", "image.png")


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-32-be"])
def test_utf16_and_utf32_with_a_byte_order_mark_are_read(encoding: str) -> None:
    text = "---\ntitle: Examplumab\n---\n# Examplumab \u2013 5 mg/m²\n"
    # Python's "utf-16"/"utf-32" write a byte-order mark; the endian-named codecs do not
    data = (text if encoding in ("utf-16", "utf-32") else "\ufeff" + text).encode(encoding)
    assert read_text(data, "examplumab.md").text == text


def test_utf16_without_a_byte_order_mark_is_named_as_a_possibility() -> None:
    with pytest.raises(SourceError) as caught:
        read_text("# Examplumab\n".encode("utf-16-le"), "examplumab.md")
    assert "UTF-16/UTF-32 text without a byte-order mark" in str(caught.value)
    assert "saved as UTF-8" in str(caught.value)


def test_a_broken_utf16_text_after_its_mark_names_the_encoding() -> None:
    with pytest.raises(SourceError, match="opens with a UTF-16 byte-order mark but is not valid"):
        read_text(b"\xff\xfe\x00\xd8A", "broken.md")  # a lone high surrogate


_MOJIBAKE_PIECES = st.sampled_from(
    ["mÂ²", "â€™", "â€“", "Â°C", "Ã©", "â€œquotedâ€\x9d", "Â", "é", "²", "a", " ", "dose", "\n"]
)


@given(st.lists(_MOJIBAKE_PIECES, max_size=30))
def test_every_repair_is_found_where_it_says(parts: list[str]) -> None:
    text = "".join(parts)
    repaired, repairs = repair_text(text)
    starts = [r.start for r in repairs]
    assert starts == sorted(starts)
    assert (repaired == text) == (repairs == ())
    for repair in repairs:
        assert repair.found != repair.repaired
        assert repaired[repair.start : repair.start + len(repair.repaired)] == repair.repaired


def test_repairs_are_found_line_by_line() -> None:
    # Two lines: each repair stays within its own line (plus the line break as context).
    text, repairs = repair_text("a mÂ² b\nâ€“ c\n")
    assert text == "a m² b\n– c\n"
    assert [(r.start, r.found, r.repaired) for r in repairs] == [
        (2, "mÂ²", "m²"),
        (6, "\nâ€“ ", "\n– "),
    ]
