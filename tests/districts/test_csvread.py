"""districts.csvread: the one CSV reader the roster and recommendation imports share."""

import pytest

from districts import csvread
from districts.csvread import RowError, Tally


def read(content, **kwargs):
    return list(csvread.rows(content, **{"required": ("name", "email"), **kwargs}))


def test_it_reads_utf8_with_a_bom_and_what_excel_on_windows_saves():
    text = "name,email\nRenée,r@example.org\n"
    expected = [(2, {"name": "Renée", "email": "r@example.org"})]
    assert read(("\ufeff" + text).encode()) == expected
    assert read(text.encode("cp1252")) == expected
    assert read("\ufeff" + text) == expected


def test_it_matches_headers_loosely_and_keys_columns_as_the_caller_names_them():
    rows = read(b" NAME ,Extra,EMAIL\n  Ann , x ,a@example.org\n\n,,\nBo,,b@example.org\n", optional=("phone",))
    assert rows == [(2, {"name": "Ann", "email": "a@example.org"}), (5, {"name": "Bo", "email": "b@example.org"})]


def test_short_rows_read_as_empty_cells():
    assert read(b"name,email\nAnn\n") == [(2, {"name": "Ann", "email": ""})]


@pytest.mark.parametrize(
    ("content", "line", "reason"),
    [
        (b"", 1, "The file is empty (no header row)."),
        (b",,\nAnn,a@example.org\n", 1, "The file is empty (no header row)."),
        (b"name\nAnn\n", 1, "Missing column(s): email."),
        (bytes(range(256)), None, "Not a text file; save it as “CSV UTF-8”."),
        (b'"' + b"x" * 200_000 + b'"\n', 1, "Unreadable CSV (field larger than field limit (131072))."),
    ],
)
def test_an_unusable_file_is_refused_with_its_line(content, line, reason):
    with pytest.raises(csvread.Unreadable) as refused:
        read(content)
    assert (refused.value.line, refused.value.reason) == (line, reason)


def test_the_size_limit_is_checked_before_reading():
    with pytest.raises(csvread.Unreadable, match="larger than 1 MB") as refused:
        read(b"name,email\n" + b"x" * 1024 * 1024, max_bytes=1024 * 1024)
    assert refused.value.line is None


def test_rows_before_an_unreadable_line_are_yielded_first():
    seen = []
    with pytest.raises(csvread.Unreadable) as refused:
        for line, _ in csvread.rows(b'name,email\nAnn,a@example.org\nBo,"' + b"x" * 200_000 + b'"\n', required=()):
            seen.append(line)
    assert seen == [2] and refused.value.line == 3


def test_errors_and_tallies_read_as_sentences():
    assert str(RowError("roster.csv", 3, "School is empty.")) == "roster.csv, line 3: School is empty."
    assert str(RowError("roster.zip", None, "Not a zip file.")) == "roster.zip: Not a zip file."
    assert str(RowError("", 4, "finding is empty")) == "line 4: finding is empty"
    assert str(RowError("", None, "The file has a header but no rows.")) == "The file has a header but no rows."
    assert str(Tally(created=2, unchanged=1)) == "2 created, 0 updated, 1 unchanged"
