"""Reading: decoding, mojibake repair with a record of each repair, checksums, errors."""

from __future__ import annotations

import hashlib

import pytest

from medkg.errors import SourceError
from medkg.read import read_text, repair_text


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
    with pytest.raises(SourceError, match=r"^image\.png: is a binary file"):
        read_text(b"\x89PNG\x00\x00", "image.png")
