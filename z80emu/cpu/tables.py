"""Flag lookup tables for the generated CPU code.

Each table maps operands straight to the flags byte an NMOS Z80 produces, bits
S Z Y H X P/V N C (7..0), so the instruction code does one index instead of a
dozen bit operations.  They are computed here from the flag definitions in the
Zilog manual (with Y and X copied from the result, as real chips do) when the
module is imported; nothing is stored.
"""

from __future__ import annotations

import numpy as np

FLAG_C, FLAG_N, FLAG_PV, FLAG_X, FLAG_H, FLAG_Y, FLAG_Z, FLAG_S = (1 << n for n in range(8))

_v = np.arange(256, dtype=np.int32)
_parity = np.zeros(256, dtype=np.int32)
for _bit in range(8):
    _parity ^= (_v >> _bit) & 1
_sz53 = (_v & 0xA8) | np.where(_v == 0, FLAG_Z, 0)

#: S, Z, Y and X of a byte.
SZ53 = bytes(_sz53.astype(np.uint8))
#: FLAG_PV when the byte has even parity.
PARITY = bytes(np.where(_parity == 0, FLAG_PV, 0).astype(np.uint8))
#: S, Z, Y, X and parity of a byte: the flags of AND/OR/XOR, rotates, IN r,(C).
SZ53P = bytes((_sz53 | np.frombuffer(PARITY, dtype=np.uint8)).astype(np.uint8))
#: INC r and DEC r flags, indexed by the new value (carry is kept by the caller).
INCF = bytes((_sz53 | np.where((_v & 0x0F) == 0, FLAG_H, 0)
              | np.where(_v == 0x80, FLAG_PV, 0)).astype(np.uint8))
DECF = bytes((_sz53 | FLAG_N | np.where((_v & 0x0F) == 0x0F, FLAG_H, 0)
              | np.where(_v == 0x7F, FLAG_PV, 0)).astype(np.uint8))


def _arith(subtract: bool, carry: int) -> np.ndarray:
    """Flags of A +/- v (+/- carry) for every A (high byte of the index) and v."""
    idx = np.arange(65536, dtype=np.int32)
    a, v = idx >> 8, idx & 0xFF
    res = a - v - carry if subtract else a + v + carry
    low = res & 0xFF
    f = np.frombuffer(SZ53, dtype=np.uint8)[low].astype(np.int32)
    f |= np.where(res < 0, FLAG_C, 0) if subtract else res >> 8
    f |= (a ^ v ^ res) & FLAG_H
    if subtract:
        f |= FLAG_N | (((a ^ v) & (a ^ res) & 0x80) >> 5)
    else:
        f |= ((a ^ res) & (v ^ res) & 0x80) >> 5
    return f.astype(np.uint8)


#: ADD A,v flags, indexed by A << 8 | v.
ADDF = bytes(_arith(False, 0))
#: ADC A,v flags, indexed by carry << 16 | A << 8 | v.
ADCF = ADDF + bytes(_arith(False, 1))
#: SUB v (and NEG, as 0 - v) flags, indexed by A << 8 | v.
SUBF = bytes(_arith(True, 0))
#: SBC A,v flags, indexed by carry << 16 | A << 8 | v.
SBCF = SUBF + bytes(_arith(True, 1))
#: CP v flags: as SUB, but Y and X come from the operand v.
CPF = bytes(((np.frombuffer(SUBF, dtype=np.uint8) & 0xD7)
             | (np.arange(65536) & 0x28)).astype(np.uint8))

TABLES = {"SZ53": SZ53, "SZ53P": SZ53P, "PARITY": PARITY, "INCF": INCF, "DECF": DECF,
          "ADDF": ADDF, "ADCF": ADCF, "SUBF": SUBF, "SBCF": SBCF, "CPF": CPF}
