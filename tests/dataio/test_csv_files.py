"""Real files in every encoding and separator a practice system or spreadsheet writes."""

from __future__ import annotations

from pathlib import Path

import pytest

from frontdesk.domain.errors import InvalidInputError
from frontdesk.services.dataio.csv_files import BadRecord, CsvTable, read_table

ROWS = [
    ("Zoë", "O'Brien", "07400 123456", "zoe@example.org", "Café Street 1, Leeds"),
    ("Seán", "Müller", "+44 7400 123457", "", "2 Rue de l'Église"),
]
HEADER = ("First Name", "Last Name", "Mobile", "Email", "Address")


def _rows(table: CsvTable) -> list[tuple[int, list[str]]]:
    return [r for r in table.records() if not isinstance(r, BadRecord)]


def _write(path: Path, encoding: str, delimiter: str, bom: bytes = b"") -> Path:
    lines = [HEADER, *ROWS]

    def quoted(cell: str) -> str:
        return f'"{cell}"' if delimiter in cell or "," in cell else cell

    text = "\r\n".join(delimiter.join(quoted(c) for c in line) for line in lines) + "\r\n"
    path.write_bytes(bom + text.encode(encoding))
    return path


@pytest.mark.parametrize(
    ("encoding", "bom", "label"),
    [
        ("utf-8", b"", "UTF-8"),
        ("utf-8", b"\xef\xbb\xbf", "UTF-8 (with BOM)"),
        ("cp1252", b"", "Windows-1252 (Western Europe)"),
        ("latin-1", b"", "Windows-1252 (Western Europe)"),
        ("utf-16-le", b"\xff\xfe", "UTF-16 (with BOM)"),
        ("utf-16-be", b"\xfe\xff", "UTF-16 (with BOM)"),
        ("utf-16-le", b"", "UTF-16 LE"),  # Excel's "Unicode text" has no mark
        ("utf-16-be", b"", "UTF-16 BE"),
    ],
)
@pytest.mark.parametrize(("delimiter", "name"), [(",", "comma"), (";", "semicolon"), ("\t", "tab")])
def test_every_encoding_and_separator_reads_the_same(
    tmp_path: Path, encoding: str, bom: bytes, label: str, delimiter: str, name: str
) -> None:
    table = read_table(_write(tmp_path / "list.csv", encoding, delimiter, bom))
    assert table.encoding_label == label
    assert table.delimiter_name == name
    assert table.has_header and table.headers == HEADER
    assert [cells for _line, cells in _rows(table)] == [list(row) for row in ROWS]
    assert [line for line, _cells in _rows(table)] == [2, 3]


def test_a_cp1252_only_character_is_read_as_windows_text(tmp_path: Path) -> None:
    path = tmp_path / "list.csv"
    path.write_bytes("First Name,Last Name\nRenée,D’Arcy\n".encode("cp1252"))
    table = read_table(path)
    assert _rows(table)[0][1] == ["Renée", "D’Arcy"]


def test_line_numbers_count_line_breaks_inside_quoted_values(tmp_path: Path) -> None:
    path = tmp_path / "list.csv"
    path.write_text(
        'First Name,Address\nSarah,"1 High St\nLeeds"\n\nTom,2 Low St\n', encoding="utf-8"
    )
    table = read_table(path)
    assert [(line, cells[0]) for line, cells in _rows(table)] == [(2, "Sarah"), (5, "Tom")]


def test_a_file_without_a_header_gets_numbered_columns(tmp_path: Path) -> None:
    path = tmp_path / "list.csv"
    path.write_text("Sarah;Connolly;07400 123456\nTom;Baker;07400 123457\n", encoding="utf-8")
    table = read_table(path)
    assert not table.has_header
    assert table.headers == ("Column 1", "Column 2", "Column 3")
    assert len(_rows(table)) == 2 and table.delimiter == ";"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"PK\x03\x04rest-of-a-zip", "This is an Excel workbook (.xlsx), not a CSV file."),
        (b"", "list.csv is empty."),
        (
            b"\xef\xbb\xbfName\n\xff\xfe broken\n",
            "Line 2 of list.csv is not valid UTF-8 (with BOM)",
        ),
        (b"Name\x00\x00\x01", "binary content"),
    ],
)
def test_files_that_are_not_csv_say_what_they_are(
    tmp_path: Path, content: bytes, message: str
) -> None:
    path = tmp_path / "list.csv"
    path.write_bytes(content)
    with pytest.raises(InvalidInputError, match=message.replace("(", r"\(").replace(")", r"\)")):
        read_table(path)


def test_a_missing_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(InvalidInputError, match="There is no file at"):
        read_table(tmp_path / "nope.csv")


def test_a_cp1250_file_is_read_as_central_european_and_can_be_overridden(
    tmp_path: Path,
) -> None:
    path = tmp_path / "list.csv"
    path.write_bytes("First Name,Last Name\nŁukasz,Piątek\nŽofie,Dvořák\n".encode("cp1250"))
    table = read_table(path)
    assert table.encoding == "cp1250" and table.encoding_detected
    assert [cells for _line, cells in _rows(table)] == [["Łukasz", "Piątek"], ["Žofie", "Dvořák"]]
    chosen = read_table(path, "cp1252")
    assert chosen.encoding_label == "Windows-1252 (Western Europe)"
    assert not chosen.encoding_detected
    assert _rows(chosen)[0][1] == ["£ukasz", "Pi¹tek"]
    with pytest.raises(InvalidInputError, match="does not know the encoding 'klingon'"):
        read_table(path, "klingon")


def test_the_header_is_found_below_title_lines_and_totals_are_left_out(tmp_path: Path) -> None:
    path = tmp_path / "list.csv"
    path.write_text(
        "Customer List\n"
        "Exported 01/11/2026,,\n"
        "\n"
        "First Name,Last Name,Phone Number\n"
        "Ann,Lee,07400 111001\n"
        ",,\n"
        "First Name,Last Name,Phone Number\n"
        "Bob,Ray,07400 111002\n"
        "Total,2,\n",
        encoding="utf-8",
    )
    table = read_table(path)
    assert table.has_header and table.header_line == 4
    assert table.headers == ("First Name", "Last Name", "Phone Number")
    assert _rows(table) == [
        (5, ["Ann", "Lee", "07400 111001"]),
        (8, ["Bob", "Ray", "07400 111002"]),
    ]
    assert table.skipped == 6  # 3 above the header, a blank row, the repeated header, total


def test_broken_rows_are_rejected_with_their_line_never_merged(tmp_path: Path) -> None:
    path = tmp_path / "list.csv"
    path.write_text(
        "First Name,Last Name,Mobile\n"
        "Cat,Moss,07400 111004\n"
        '"Ann,Lee,07400 111005\n'
        "Bob,Ray,07400 111006\n"
        "Dan,Reid,07400 111007,extra\n"
        "Eve,Bell\x07,07400 111008\n",
        encoding="utf-8",
    )
    table = read_table(path)
    records = list(table.records())
    assert records[0] == (2, ["Cat", "Moss", "07400 111004"])
    bad = [r for r in records if isinstance(r, BadRecord)]
    assert [b.line for b in bad] == [3, 5, 6]
    assert bad[0].reason.startswith('A quote (") opens a value on line 3 and is never closed.')
    assert records[2] == (4, ["Bob", "Ray", "07400 111006"])  # read on its own, not swallowed
    assert bad[1].reason.startswith("Has 4 values but the header has 3 columns")
    assert "control character (U+0007)" in bad[2].reason
    assert table.bad_count == 3 and table.row_count == 5


def test_an_unclosed_quote_at_the_end_of_the_file_is_a_rejected_row(tmp_path: Path) -> None:
    path = tmp_path / "list.csv"
    path.write_text(
        'First Name,Last Name,Mobile\n"Ann,Lee,07400 111005\nBob,Ray,07400 111006\n',
        encoding="utf-8",
    )
    records = list(read_table(path).records())
    assert isinstance(records[0], BadRecord)
    assert records[0].line == 2 and "quote" in records[0].reason
    assert records[1:] == [(3, ["Bob", "Ray", "07400 111006"])]


def test_runaway_lines_and_columns_are_refused_in_one_line(tmp_path: Path) -> None:
    wide = tmp_path / "wide.csv"
    wide.write_text(",".join(f"c{i}" for i in range(600)) + "\nAnn\n", encoding="utf-8")
    with pytest.raises(InvalidInputError) as error:
        read_table(wide)
    assert error.value.message == (
        "Line 1 of wide.csv has 600 columns; a patient list has at most 500. Is it the right file?"
    )
    huge = tmp_path / "huge.csv"
    huge.write_text("First Name,Last Name\nAnn," + "x" * 2_000_000 + "\n", encoding="utf-8")
    with pytest.raises(InvalidInputError) as error:
        read_table(huge)
    assert error.value.message.startswith("Line 2 of huge.csv is longer than 64 KB")
    assert len(error.value.message) < 200 and "\n" not in error.value.message
    million = tmp_path / "million.csv"
    million.write_text(",".join(["Name"] * 1_000_000) + "\n", encoding="utf-8")
    with pytest.raises(InvalidInputError) as error:
        read_table(million)
    assert len(error.value.message) < 200


def test_a_lost_quote_in_a_file_of_one_column_swallows_at_most_fifty_lines(
    tmp_path: Path,
) -> None:
    path = tmp_path / "names.csv"
    names = [f"Name{i}" for i in range(200)]
    path.write_text('First Name\n"Ann\n' + "\n".join(names) + "\n", encoding="utf-8")
    records = list(read_table(path).records())
    assert isinstance(records[0], BadRecord) and records[0].line == 2
    assert [r[1][0] for r in records[1:] if not isinstance(r, BadRecord)] == names


def test_a_list_without_a_header_is_not_cut_at_a_row_that_mentions_a_column_name(
    tmp_path: Path,
) -> None:
    path = tmp_path / "list.csv"
    path.write_text(
        "Ann,Lee,07400 111001\nBob,Ray,07400 111002\nCat,Home,07400 111003\n", encoding="utf-8"
    )
    table = read_table(path)
    assert not table.has_header and table.row_count == 3 and table.skipped == 0
