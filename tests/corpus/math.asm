; Arithmetic routines of the kind every Z80 program carries: 16x16 multiply,
; 16/8 divide, BCD counter, CRC-16/CCITT, 32-bit add, square root.
; Uses every number notation the assembler reads and nested expressions.

CRCPOLY:  EQU 1021H
ONE:      EQU 1
BASE:     EQU 0x8000
MASK:     EQU %11110000
TEN:      EQU 1010B
OCTAL:    EQU 17Q
LIMIT:    EQU (BASE + 100H) / 2 - ONE * 3

          ORG BASE
; HL = DE * BC (low 16 bits)
MUL16:    LD HL,0
          LD A,16
MULLP:    ADD HL,HL
          EX DE,HL
          ADD HL,HL
          EX DE,HL
          JR NC,MULNX
          ADD HL,BC
MULNX:    DEC A
          JR NZ,MULLP
          RET

; HL / C -> HL quotient, A remainder
DIV8:     XOR A
          LD B,16
DIVLP:    ADD HL,HL
          RLA
          CP C
          JR C,DIVNX
          SUB C
          INC L
DIVNX:    DJNZ DIVLP
          RET

; add 1 to the 4-digit BCD number at (HL+1),(HL)
BCDINC:   LD A,(HL)
          ADD A,ONE
          DAA
          LD (HL),A
          INC HL
          LD A,(HL)
          ADC A,0
          DAA
          LD (HL),A
          RET

; CRC-16/CCITT of B bytes at (IX) into HL
CRC16:    LD HL,0FFFFH
CRCBYTE:  LD A,(IX+0)
          XOR H
          LD H,A
          LD C,8
CRCBIT:   ADD HL,HL
          JR NC,CRCNX
          LD A,H
          XOR HIGH CRCPOLY
          LD H,A
          LD A,L
          XOR LOW CRCPOLY
          LD L,A
CRCNX:    DEC C
          JR NZ,CRCBIT
          INC IX
          DJNZ CRCBYTE
          RET

; (IY+0..3) += (IX+0..3), 32 bits little endian
ADD32:    LD B,4
          OR A
ADD32LP:  LD A,(IY+0)
          ADC A,(IX+0)
          LD (IY+0),A
          INC IX
          INC IY
          DJNZ ADD32LP
          RET

; integer square root of HL into A (odd-number subtraction)
ISQRT:    LD DE,1
          XOR A
SQLP:     OR A
          SBC HL,DE
          RET C
          INC A
          INC DE
          INC DE
          JR SQLP

; nibble swap and masks
NIBBLES:  LD A,(VALUE)
          RRCA
          RRCA
          RRCA
          RRCA
          AND MASK SHR 4
          LD B,A
          LD A,(VALUE)
          AND MASK
          OR B
          CPL
          NEG
          RET

VALUE:    DEFB 5AH
TABLE:    DEFB TEN, OCTAL, $3F, 0FFH, -1, -128, 'Z'-'A', TEN*TEN MOD 7
          DEFW LIMIT, MUL16, DIV8, -2, CRC16 - MUL16
SQUARES:  DEFB 0*0, 1*1, 2*2, 3*3, 4*4, 5*5, 6*6, 7*7
FLAGS:    DEFB (1 SHL 7) OR (1 SHL 0), NOT 0FEH AND 0FFH, 0F0H XOR 0FFH
          END
