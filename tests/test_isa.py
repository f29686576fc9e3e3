"""The instruction table: complete, unambiguous, and consistent with itself."""

from __future__ import annotations

import re
import subprocess
import sys
from collections import Counter

import pytest

from tests.conftest import REPO_ROOT
from z80emu.cpu import codegen
from z80emu.isa import ENCODINGS, PAGES, decode, find, page_table
from z80emu.isa import forms as isa_forms


def test_every_opcode_on_every_page_is_claimed_exactly_once() -> None:
    counts = Counter(e.page for e in ENCODINGS)
    assert counts == {"": 252, "CB": 256, "ED": 256, "DD": 255, "FD": 255,
                      "DDCB": 256, "FDCB": 256}
    seen = Counter((e.page, e.opcode) for e in ENCODINGS)
    assert max(seen.values()) == 1
    for page in PAGES:
        table = page_table(page)
        holes = [op for op, e in enumerate(table) if e is None]
        expected = {"": [0xCB, 0xDD, 0xED, 0xFD], "DD": [0xCB], "FD": [0xCB]}.get(page, [])
        assert holes == expected, page


def test_a_double_claim_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    import z80emu.isa as isa
    extra = isa_forms.Form("NOP2", "00000000", 4, "--------", "")
    monkeypatch.setattr(isa, "MAIN", isa_forms.MAIN + [extra])
    with pytest.raises(AssertionError, match="main 00: NOP and NOP2"):
        isa._expand()


def test_an_unclaimed_opcode_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    import z80emu.isa as isa
    monkeypatch.setattr(isa, "MAIN", [f for f in isa_forms.MAIN if f.text != "DAA"])
    with pytest.raises(AssertionError, match="main 27: unclaimed"):
        isa._expand()


def test_canonical_texts_are_unique_and_cover_every_behaviour() -> None:
    canon = [e.text for e in ENCODINGS if e.canonical]
    assert len(canon) == len(set(canon))
    # Every non-canonical encoding either mirrors a canonical text or is a no-op filler.
    texts = set(canon)
    for e in ENCODINGS:
        if not e.canonical:
            assert e.text in texts or e.mnemonic == "NOP" or e.page in ("DDCB", "FDCB"), e


@pytest.mark.parametrize("text,hexbytes,length,tstates,flags", [
    ("NOP", "00", 1, (4,), "--------"),
    ("LD A,(IX+d)", "DD7E05", 3, (19,), "--------"),
    ("LD (IY+d),n", "FD360599", 4, (19,), "--------"),
    ("ADD A,B", "80", 1, (4,), "*****V0*"),
    ("ADD IX,SP", "DD39", 2, (15,), "--***-0*"),
    ("JR NZ,e", "20FE", 2, (12, 7), "--------"),
    ("DJNZ e", "10FE", 2, (13, 8), "--------"),
    ("CALL Z,nn", "CC3412", 3, (17, 10), "--------"),
    ("RET C", "D8", 1, (11, 5), "--------"),
    ("LDIR", "EDB0", 2, (21, 16), "--*0*00-"),
    ("BIT 7,(HL)", "CB7E", 2, (12,), "***1*P0-"),
    ("SET 0,(IX+d)", "DDCB05C6", 4, (23,), "--------"),
    ("BIT 3,(IY+d)", "FDCB055E", 4, (20,), "***1*P0-"),
    ("RLC (IX+d),B", "DDCB0500", 4, (23,), "***0*P0*"),
    ("SLL A", "CB37", 2, (8,), "***0*P0*"),
    ("LD IXH,n", "DD2699", 3, (11,), "--------"),
    ("IN F,(C)", "ED70", 2, (12,), "***0*P0-"),
    ("OUT (C),0", "ED71", 2, (12,), "--------"),
    ("IM 2", "ED5E", 2, (8,), "--------"),
    ("RST 38H", "FF", 1, (11,), "--------"),
    ("EX (SP),IX", "DDE3", 2, (23,), "--------"),
    ("JP (IY)", "FDE9", 2, (8,), "--------"),
    ("LD SP,HL", "F9", 1, (6,), "--------"),
    ("PUSH IX", "DDE5", 2, (15,), "--------"),
])
def test_reference_rows(text, hexbytes, length, tstates, flags) -> None:
    enc = find(text)
    data = bytes.fromhex(hexbytes)
    assert decode(data) is enc
    assert (enc.length, enc.tstates, enc.flags) == (length, tstates, flags)


def test_undocumented_forms_are_marked() -> None:
    assert not find("SLL B").documented
    assert not find("LD IXL,B").documented
    assert not find("RLC (IY+d),C").documented
    assert not find("IN F,(C)").documented
    assert find("LD A,(IX+d)").documented
    ed4c = decode(bytes.fromhex("ED4C"))
    assert ed4c.text == "NEG" and not ed4c.canonical and not ed4c.documented
    hole = decode(bytes.fromhex("ED00"))
    assert hole.text == "NOP" and hole.tstates == (8,) and hole.note.startswith("ED hole")
    ignored = decode(bytes.fromhex("DD04"))
    assert ignored.text == "INC B" and ignored.tstates == (8,) and ignored.length == 2
    assert decode(bytes.fromhex("DDDD00")).length == 1


def test_encode_fills_fields_in_byte_order() -> None:
    assert find("LD (IX+d),n").encode(d=-2, n=0x41) == bytes.fromhex("DD36FE41")
    assert find("LD BC,nn").encode(nn=0x1234) == bytes.fromhex("013412")
    assert find("RES 1,(IY+d)").encode(d=7) == bytes.fromhex("FDCB078E")
    with pytest.raises(ValueError, match="missing value for n"):
        find("LD A,n").encode()


def test_conditional_timing_lives_only_in_the_table() -> None:
    """The behaviour templates never state T-states; taken branches add TAKEN."""
    for enc in ENCODINGS:
        assert not re.search(r"t \+= \d", enc.code), enc.text
        assert ("TAKEN" in enc.code) == (len(enc.tstates) == 2), enc.text


def test_block_enders_are_the_instructions_that_leave_or_talk() -> None:
    for enc in ENCODINGS:
        leaves = bool(re.search(r"^\s*pc = ", enc.code, re.M))
        io = "IN(" in enc.code or "OUT(" in enc.code
        special = any(s in enc.code for s in ("halted", "iff1 = cpu.iff2 = "))
        if leaves or io or special or "TAKEN" in enc.code:
            assert enc.ends_block, enc.text


def test_generated_handlers_are_up_to_date() -> None:
    result = subprocess.run([sys.executable, str(REPO_ROOT / "tools" / "gen_cpu.py"), "--check"],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_registers_read_and_written_are_found() -> None:
    enc = find("EX DE,HL")
    assert codegen.regs_set(enc.code) == ["d", "e", "h", "l"]
    assert "f" in codegen.regs_used(find("ADD A,B").code)
