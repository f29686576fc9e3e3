"""Level II BASIC: the token table, the tokenizer's CRUNCH rules and quirks, LIST,
the program image and the disk .BAS file, and the example corpus round trip."""

from __future__ import annotations

from pathlib import Path

import pytest

from z80emu.formats import FormatError
from z80emu.formats.basic import (
    FIRST_TOKEN,
    LAST_TOKEN,
    TOKEN,
    TOKENS,
    BasicProgram,
    Line,
    crunch,
    list_line,
    listing,
    parse_line,
    read_bas,
    read_image,
    tokenize,
    write_bas,
)

CORPUS = sorted((Path(__file__).resolve().parents[1] / "examples" / "basic").glob("*.bas"))


def tok(text: str) -> str:
    return crunch(text.encode("ascii")).hex(" ").upper()


# -- the table -------------------------------------------------------------------------

def test_token_table_matches_the_reference() -> None:
    assert len(TOKENS) == 124 and LAST_TOKEN == 0xFB
    spot = {"END": 0x80, "FOR": 0x81, "DATA": 0x88, "GOTO": 0x8D, "REM": 0x93, "ELSE": 0x95,
            "LINE": 0x9C, "SYSTEM": 0xAE, "PRINT": 0xB2, "NEW": 0xBB, "TAB(": 0xBC,
            "STRING$": 0xC4, "MEM": 0xC8, "+": 0xCD, "[": 0xD1, "<": 0xD6, "SGN": 0xD7,
            "PEEK": 0xE5, "MKD$": 0xEE, "MID$": 0xFA, "'": 0xFB}
    assert {w: TOKEN[w] for w in spot} == spot


@pytest.mark.parametrize("word", TOKENS)
def test_every_keyword_tokenizes_to_its_own_token(word: str) -> None:
    """Level II takes the first keyword in table order; the order makes that the
    longest one, so no keyword is hidden behind a shorter one."""
    stored = crunch(word.encode("ascii"))
    if word == "ELSE":
        assert stored == bytes([0x3A, 0x95])
    elif word == "'":
        assert stored == bytes([0x3A, 0x93, 0xFB])
    else:
        assert stored == bytes([TOKEN[word]])


# -- CRUNCH ------------------------------------------------------------------------------

def test_keywords_inside_names_are_keywords() -> None:
    assert tok("FORT=1TO9") == "81 54 D5 31 BD 39"  # FOR T = 1 TO 9
    assert tok("SCORE") == "53 43 D3 45"  # S C OR E
    assert tok("TOTAL") == "BD 54 41 4C"  # TO TAL
    # and it lists back the way it was typed
    assert list_line(Line(1, crunch(b"SCORE=TOTAL"))) == "1 SCORE=TOTAL"


def test_go_to_with_spaces_is_goto_but_go_sub_is_not() -> None:
    assert tok("GO TO 10") == "8D 20 31 30"
    assert tok("G O T O10") == "8D 31 30"
    assert tok("GO SUB") == "47 4F 20 53 55 42"


def test_question_mark_else_and_apostrophe() -> None:
    assert tok('?"A"') == "B2 22 41 22"
    assert tok("IF A THEN 1 ELSE 2") == "8F 20 41 20 CA 20 31 20 3A 95 20 32"
    assert tok("X=1 'SET X") == "58 D5 31 20 3A 93 FB 53 45 54 20 58"
    assert list_line(Line(7, crunch(b"IF A THEN 1 ELSE 2"))) == "7 IF A THEN 1 ELSE 2"
    assert list_line(Line(7, crunch(b"X=1 'SET X"))) == "7 X=1 'SET X"


def test_strings_rem_and_data_are_kept_as_typed() -> None:
    assert tok('PRINT "for ?"') == "B2 20 22 66 6F 72 20 3F 22"
    assert tok("REM print IT: ELSE") == "93 20 70 72 69 6E 74 20 49 54 3A 20 45 4C 53 45"
    # DATA up to the colon, then keywords again; a string inside DATA may hold a colon
    assert tok('DATA for,"a:b",?:print') == \
        "88 20 66 6F 72 2C 22 61 3A 62 22 2C 3F 3A B2"


def test_lowercase_outside_strings_is_uppercased() -> None:
    assert tok('print x;"x"') == "B2 20 58 3B 22 78 22"
    assert list_line(Line(1, crunch(b'goto 10'))) == "1 GOTO 10"


def test_up_arrow_spellings() -> None:
    assert tok("2[3") == "32 D1 33"
    assert parse_line("10 A=2^3")[1] == parse_line("10 A=2↑3")[1] == parse_line("10 A=2[3")[1]
    assert list_line(Line(10, parse_line("10 A=2^3")[1])) == "10 A=2^3"


def test_cload_question_mark_is_cload_print() -> None:
    """CLOAD? is CLOAD followed by the PRINT token (the ROM tests for B2h at
    2C1Fh), so LIST shows CLOADPRINT, which reads back to the same bytes."""
    stored = crunch(b'CLOAD? "T"')
    assert stored.hex(" ").upper() == "B9 B2 20 22 54 22"
    assert list_line(Line(1, stored)) == '1 CLOADPRINT "T"'
    assert crunch(b'CLOADPRINT "T"') == stored


def test_line_numbers_and_spaces_after_them() -> None:
    assert parse_line("10 PRINT") == (10, bytes([0xB2]))
    assert parse_line("10PRINT") == (10, bytes([0xB2]))
    assert parse_line("10   PRINT") == (10, b"  \xB2")  # one space dropped, the rest kept
    assert parse_line("  1 0 END") == (10, b"\x80")  # LINGET skips spaces between digits
    assert parse_line("0 END") == (0, b"\x80")
    assert parse_line("65529 END") == (65529, b"\x80")
    assert parse_line("   ") is None
    assert parse_line("20") == (20, b"")  # a bare number deletes the line
    assert list_line(Line(10, b"  \xB2")) == "10   PRINT"


def test_typing_order_replaces_and_deletes() -> None:
    program = tokenize("20 B\n10 A\n20 C\n30 D\n30\n")
    assert [(line.number, line.text) for line in program.lines] == [(10, b"A"), (20, b"C")]


@pytest.mark.parametrize("text, fault", [
    ("10 PRINT\n65530 END\n", "line 2: line number 65530 is above 65529"),
    ("10 PRINT\nPRINT 2\n", "line 2: no line number"),
    ("10 REM " + "X" * 250, "line 1: the line is 257 characters long"),
    ("10 PRINT\n20 A$=\"é\"\n", "line 2: character 'é' has no Model I code"),
    ("10 PRINT \\x80", "line 1: byte 80h outside a string"),
])
def test_a_line_that_cannot_be_stored_is_named(text: str, fault: str) -> None:
    with pytest.raises(FormatError) as info:
        tokenize(text, "prog.bas")
    assert str(info.value).startswith("prog.bas: " + fault)


def test_apostrophe_expansion_can_overflow_the_line() -> None:
    with pytest.raises(FormatError, match="tokenizes to 256 bytes"):
        tokenize("1'" + "X" * 253, "p.bas")
    tokenize("1'" + "X" * 252, "p.bas")


# -- LIST -----------------------------------------------------------------------------

def test_graphics_in_strings_list_as_escapes_or_as_list_shows_them() -> None:
    line = Line(40, bytes([0xB2, 0x22, 0x80, 0xBF, 0x22, 0x3A, 0x93, 0x20, 0xB2, 0x0D]))
    assert list_line(line) == '40 PRINT"\\x80\\xBF":REM \\xB2\\x0D'
    assert list_line(line, faithful=True) == '40 PRINT"ENDUSING":REM PRINT\\x0D'
    assert parse_line(list_line(line)) == (40, line.text)


def test_else_without_colon_and_unknown_bytes_when_faithful() -> None:
    assert list_line(Line(1, b"A\x95B"), faithful=True) == "1 ELSEB"  # LIST eats the A
    assert list_line(Line(1, b"A\x95B")) == "1 AELSEB"
    assert list_line(Line(1, b"A\xFCB"), faithful=True) == "1 A"
    assert list_line(Line(1, b"A\xFCB")) == "1 A\\xFCB"


# -- the corpus ------------------------------------------------------------------------

def test_corpus_is_there() -> None:
    assert len(CORPUS) >= 8


@pytest.mark.parametrize("path", CORPUS, ids=lambda p: p.name)
def test_corpus_listing_round_trip(path: Path) -> None:
    text = path.read_text()
    program = tokenize(text, str(path))
    assert listing(program) == text
    again = read_bas(write_bas(program), "again.bas")
    assert again.lines == program.lines


def test_corpus_covers_every_token() -> None:
    seen: set[int] = set()
    for path in CORPUS:
        for line in tokenize(path.read_text(), str(path)).lines:
            seen.update(b for b in line.text if b >= FIRST_TOKEN)
    missing = [f"{t:02X}h {TOKENS[t - FIRST_TOKEN]}" for t in range(FIRST_TOKEN, LAST_TOKEN + 1)
               if t not in seen]
    assert not missing


# -- the image and the disk file ---------------------------------------------------------

def test_image_layout_and_links() -> None:
    program = tokenize("10 END\n20 CLS\n")
    image = program.image(0x42E9)
    assert image.hex(" ").upper() == "EF 42 0A 00 80 00 F5 42 14 00 84 00 00 00"
    assert program.size == len(image)
    assert read_image(image)[0].lines == program.lines
    assert write_bas(program)[0] == 0xFF


def test_ascii_bas_files_are_tokenized() -> None:
    data = b"10 PRINT 1\r20 END\r\x1a\x1a"
    assert [line.number for line in read_bas(data, "a.bas").lines] == [10, 20]


@pytest.mark.parametrize("cut, fault", [
    (lambda d: d[:-1], "file ends before the 00h 00h end-of-program link after line 20"),
    (lambda d: d[:12], "line 20 has no end-of-line 00h"),
    (lambda d: d[:1] + bytes([0x10, 0x99]) + d[3:], "line link 9910h of line 10 pointing "
                                                   "outside the file"),
    (lambda d: d[:7] + bytes([0xF0, 0x42]) + d[9:], "line link 42F0h of line 20 not pointing "
                                                   "at the next line"),
])
def test_broken_bas_files_name_offset_and_fault(cut, fault: str) -> None:
    data = write_bas(tokenize("10 END\n20 CLS\n"))
    with pytest.raises(FormatError) as info:
        read_bas(cut(data), "bad.bas")
    message = str(info.value)
    assert message.startswith("bad.bas: offset 0x") and fault in message


def test_not_a_bas_file() -> None:
    with pytest.raises(FormatError, match="empty file"):
        read_bas(b"", "e.bas")
    with pytest.raises(FormatError, match="neither a tokenized BASIC file"):
        read_bas(b"\x01\x00\x02", "x.bas")


def test_empty_program() -> None:
    assert BasicProgram().image() == b"\x00\x00"
    assert read_bas(b"\xFF\x00\x00", "e.bas").lines == []
