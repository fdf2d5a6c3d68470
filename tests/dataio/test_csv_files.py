"""Real files in every encoding and separator a practice system or spreadsheet writes."""

from __future__ import annotations

from pathlib import Path

import pytest

from frontdesk.domain.errors import InvalidInputError
from frontdesk.services.dataio.csv_files import read_table

ROWS = [
    ("Zoë", "O'Brien", "07400 123456", "zoe@example.org", "Café Street 1, Leeds"),
    ("Seán", "Müller", "+44 7400 123457", "", "2 Rue de l'Église"),
]
HEADER = ("First Name", "Last Name", "Mobile", "Email", "Address")


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
        ("cp1252", b"", "Windows-1252 (Latin-1)"),
        ("latin-1", b"", "Windows-1252 (Latin-1)"),
        ("utf-16-le", b"\xff\xfe", "UTF-16"),
    ],
)
@pytest.mark.parametrize(("delimiter", "name"), [(",", "comma"), (";", "semicolon"), ("\t", "tab")])
def test_every_encoding_and_separator_reads_the_same(
    tmp_path: Path, encoding: str, bom: bytes, label: str, delimiter: str, name: str
) -> None:
    table = read_table(_write(tmp_path / "list.csv", encoding, delimiter, bom))
    assert table.encoding == label
    assert table.delimiter_name == name
    assert table.has_header and table.headers == HEADER
    assert [cells for _line, cells in table.rows] == [list(row) for row in ROWS]
    assert [line for line, _cells in table.rows] == [2, 3]


def test_a_cp1252_only_character_is_read_as_windows_text(tmp_path: Path) -> None:
    path = tmp_path / "list.csv"
    path.write_bytes("First Name,Last Name\nRenée,D’Arcy\n".encode("cp1252"))
    table = read_table(path)
    assert table.rows[0][1] == ["Renée", "D’Arcy"]


def test_line_numbers_count_line_breaks_inside_quoted_values(tmp_path: Path) -> None:
    path = tmp_path / "list.csv"
    path.write_text(
        'First Name,Address\nSarah,"1 High St\nLeeds"\n\nTom,2 Low St\n', encoding="utf-8"
    )
    table = read_table(path)
    assert [(line, cells[0]) for line, cells in table.rows] == [(2, "Sarah"), (5, "Tom")]


def test_a_file_without_a_header_gets_numbered_columns(tmp_path: Path) -> None:
    path = tmp_path / "list.csv"
    path.write_text("Sarah;Connolly;07400 123456\nTom;Baker;07400 123457\n", encoding="utf-8")
    table = read_table(path)
    assert not table.has_header
    assert table.headers == ("Column 1", "Column 2", "Column 3")
    assert len(table.rows) == 2 and table.delimiter == ";"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"PK\x03\x04rest-of-a-zip", "This is an Excel workbook (.xlsx), not a CSV file."),
        (b"", "list.csv is empty."),
        (b"\xef\xbb\xbfName\n\xff\xfe broken\n", "line 2 is not valid UTF-8 (with BOM)"),
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
