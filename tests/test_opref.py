"""The hand-assembly reference: text and byte look-ups, cards and charts."""

from __future__ import annotations

import re

import pytest
from click.testing import CliRunner

from z80emu.isa import PAGES, page_table
from z80emu.opref import RefError, card, chart, lookup, pattern_bytes, ref_command


def one(query: str, address: int = 0):
    hits = lookup(query, address)
    assert len(hits) == 1
    return hits[0]


def test_pattern_lookup_is_case_and_space_insensitive():
    hit = one("ld a, (ix + d)")
    assert hit.encoding.text == "LD A,(IX+d)" and hit.data is None
    assert pattern_bytes(hit.encoding) == "DD 7E d"


def test_text_with_values_is_assembled():
    hit = one("LD A,5")
    assert hit.encoding.text == "LD A,n" and hit.data == bytes([0x3E, 5]) and hit.text == "LD A,05H"
    assert one("LD HL,1234H").data == bytes.fromhex("213412")
    assert one("JR $+5", 0x8000).data == bytes.fromhex("1803")


def test_bytes_lookup():
    assert one("3E").encoding.text == "LD A,n"
    hit = one("DD 7E 05")
    assert hit.text == "LD A,(IX+05H)" and hit.data == bytes.fromhex("DD7E05")
    assert one("dd7e05").text == "LD A,(IX+05H)"
    assert [h.text for h in lookup("3E 05 C9")] == ["LD A,05H", "RET"]


def test_incomplete_prefix_bytes_explain_what_is_missing():
    with pytest.raises(RefError, match="DD CB d op"):
        lookup("DD CB 05")
    with pytest.raises(RefError, match="prefix"):
        lookup("ED")


def test_bad_text_says_why():
    with pytest.raises(RefError, match="unknown instruction"):
        lookup("FROB A")
    with pytest.raises(RefError, match="out of range"):
        lookup("LD A,300")


def test_card_shows_bytes_length_tstates_flags():
    text = card(one("ADD A,(HL)"))
    assert "bytes     86" in text and "length    1" in text and "T-states  7" in text
    assert re.search(r"flags\s+S Z Y H X P/V N C\n\s+\* \* \* \* \*  V  0 \*", text)
    conditional = card(one("JR NZ,e"))
    assert "T-states  12/7" in conditional


def test_card_for_undocumented_and_duplicates():
    assert "undocumented" in card(one("SLL B"))
    dup = card(one("ED 4C"))
    assert "NEG" in dup and "not what an assembler emits" in dup and "also      ED 44" in dup


@pytest.mark.parametrize("page", PAGES)
def test_text_chart_has_every_opcode_of_the_page(page):
    text = chart([page], "text")
    for enc in page_table(page):
        if enc is not None and enc.canonical:
            assert enc.text in text
    assert len(max(text.splitlines(), key=len)) <= 132  # fits a landscape page


def test_markdown_and_html_charts():
    md = chart(["ED"], "markdown")
    assert md.startswith("## ED page") and "| 4x |" in md and "LDIR" in md
    html = chart(None, "html")
    assert html.count("<table>") == len(PAGES) and "@page" in html and "LD A,(IX+d)" in html


def test_command(tmp_path):
    runner = CliRunner()
    result = runner.invoke(ref_command, ["LD A,(HL)"])
    assert result.exit_code == 0 and "bytes     7E" in result.output
    result = runner.invoke(ref_command, ["DD", "7E", "05"])
    assert "LD A,(IX+05H)" in result.output
    result = runner.invoke(ref_command, ["--chart", "--page", "CB", "--format", "markdown"])
    assert result.exit_code == 0 and "RLC B" in result.output and "LD A,n" not in result.output
    result = runner.invoke(ref_command, ["--chart", "--page", "main"])
    assert "LD A,n" in result.output
    bad = runner.invoke(ref_command, ["NOPE A"])
    assert bad.exit_code == 1 and "Error:" in bad.output and "Traceback" not in bad.output
    assert runner.invoke(ref_command, []).exit_code == 2
