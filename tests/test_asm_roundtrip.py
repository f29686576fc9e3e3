"""Round trips over the whole instruction table: every encoding disassembles to
text that assembles back to the same bytes, and every canonical text assembles
to the encoding that carries it."""

from __future__ import annotations

import pytest

from z80emu.asm import assemble
from z80emu.disasm import disassemble, field_values, instruction_text
from z80emu.isa import ENCODINGS, decode

ORG = 0x8000


def sample_bytes(enc) -> bytes:
    values = {"n": 0xA5, "nn": 0x1234, "d": -6, "e": 0x22}
    return enc.encode(**{k: values[k] for k in enc.fields})


def test_every_encoding_survives_disassembly_and_reassembly():
    failures = []
    for enc in ENCODINGS:
        data = sample_bytes(enc)
        text = disassemble(data, org=ORG)
        result = assemble(text)
        if not result.ok or result.binary() != data:
            failures.append(
                f"{data.hex()} {enc.text}: {text!r} -> {result.errors or result.binary().hex()}"
            )
    assert not failures, "\n".join(failures[:20])


def test_whole_table_in_one_stream():
    data = b"".join(sample_bytes(enc) for enc in ENCODINGS)
    result = assemble(disassemble(data, org=0x0100))
    assert result.ok, result.errors[:5]
    assert result.binary() == data


@pytest.mark.parametrize("enc", [e for e in ENCODINGS if e.canonical], ids=lambda e: e.text)
def test_canonical_text_assembles_to_its_encoding(enc):
    data = sample_bytes(enc)
    text = instruction_text(enc, field_values(enc, data, ORG))
    result = assemble(f" ORG {ORG}\n {text}\n")
    assert result.ok, result.errors
    assert result.binary() == data
    assert decode(result.binary()) is enc
