; ============================================================================
; fp.asm - BASIC's arithmetic: integer, single and double precision numbers,
; conversions between them, number text in (FIN) and out (FOUT), and (in
; fpfunc.asm) the maths functions.
; ============================================================================
;
; Number formats (Level II's, TRS80-REFERENCE.md section 6.5 and ABI.md):
;   integer  VALTYP 2, two's complement in 4121h (low) and 4122h (high);
;   single   VALTYP 4, 4121h-4123h mantissa (lowest byte first), 4124h exponent;
;   double   VALTYP 8, 411Dh-4123h mantissa, 4124h exponent.
; Both floating formats are Microsoft binary format: value = 0.1mmm... (binary)
; x 2^(exponent - 80h), exponent 00h means zero; the mantissa's top bit is
; always 1, so it is not stored: bit 7 of 4123h holds the sign (1 negative).
;
; How the arithmetic works. A single is a double whose four lowest mantissa
; bytes are dropped, so one set of routines serves both: every loop works on
; N = VALTYP bytes ending at 4123h, the mantissa plus one extra "guard" byte
; below it (4120h for a single, 411Ch for a double). The guard byte collects
; the bits that fall off the end; the result is then rounded to nearest on
; it. While an operation runs, the mantissa is "unpacked": its top bit is
; set back to 1 and the sign is kept in F_SIGN. The maths functions run with
; VALTYP 5 (a 32-bit mantissa, 4120h-4123h, guard 411Fh) and round the final
; result to single precision, so their working precision is 8 bits better
; than their result.
;
; The second operand (ARG) has the same layout 10 bytes higher: 4127h-412Dh
; mantissa (guard byte 4126h or 412Ah), 412Eh exponent. Products and
; quotients are built in a work area whose top byte is 4151h.
;
; Public entry points (ABI.md): left operand in BCDE (single), ARG (double)
; or DE (integer), right operand in FAC (integer: HL), result in FAC:
;   SADD SSUB SMUL SDIV SCMP   single
;   DADD DSUB DMUL DDIV DCMP   double
;   IADD ISUB IMUL IDIV ICMP   integer (overflow gives single; IDIV single)
;   compares return A = 0 equal, 1 left > right, FFh left < right
;   FRCINT FRCSNG FRCDBL       convert the FAC in place (FRCINT: HL = value)
;   NEGFAC                     negate the FAC (any numeric type)
;   FPSGN FPINT                A = the FAC's sign (FFh, 0, 1); FAC = integer HL
;   FN_INT FN_FIX FN_ABS FN_SGN FN_CINT FN_CSNG FN_CDBL   the simple functions
;   FIN FOUT                   number text in and out
;   FACBCDE                    copy the FAC's single to BCDE
;   FACARG ARGFAC              copy a double between the FAC and ARG
; fpfunc.asm adds FN_SQR FN_EXP FN_LOG FN_SIN FN_COS FN_TAN FN_ATN FN_RND
; and POWER (= SPOW); FP_NOFUNC, defined before INCLUDE "fp.asm", leaves
; them out. The tests (tests/test_rom_fp.py) assemble this file at 1000h
; with a stub ERROR and CHRGET and check it against exact arithmetic.
; Errors jump to ERROR with E = the Level II error code (?OV 0Ah, ?/0 14h,
; ?FC 08h).

F_TYPE  EQU     40AFH           ; VALTYP: 2 int, 4 single, 8 double (5 inside)
F_SEED  EQU     40AAH           ; RND's seed, 3 bytes
F_DGRD  EQU     411CH           ; guard byte below a double's mantissa
F_LO    EQU     411DH           ; FAC: lowest mantissa byte of a double
F_SLO   EQU     4121H           ; FAC: lowest mantissa byte of a single
F_HI    EQU     4123H           ; FAC: top mantissa byte, sign in bit 7
F_EXP   EQU     4124H           ; FAC: exponent
F_SIGN  EQU     4125H           ; sign of the result (bit 7) while unpacked
F_ALO   EQU     4127H           ; ARG: lowest mantissa byte of a double
F_ASLO  EQU     412BH           ; ARG: lowest mantissa byte of a single
F_AHI   EQU     412DH           ; ARG: top mantissa byte
F_AEXP  EQU     412EH           ; ARG: exponent
F_BUF   EQU     4130H           ; FOUT's text (Level II's buffer is here too)
F_DIG   EQU     4133H           ; FOUT's digits, inside the text buffer
F_POLX  EQU     4143H           ; fpfunc: polynomial argument (5 bytes)
F_WHI   EQU     4151H           ; top byte of the 8-byte work area 414Ah-4151h

E_FC    EQU     08H             ; Level II error codes
E_OV    EQU     0AH
E_DV0   EQU     14H

; ============================================================================
; Moving numbers around
; ============================================================================

; FACBCDE: BCDE = the single in the FAC.
FACBCDE: LD     DE,(F_SLO)      ; E = 4121h, D = 4122h
        LD      BC,(F_HI)       ; C = 4123h, B = exponent
        RET

; FACARG: ARG = FAC (8 bytes). ARGFAC: FAC = ARG. Use BC, DE, HL.
FACARG: LD      HL,F_LO
        LD      DE,F_ALO
        JR      ARGFAC1
ARGFAC: LD      HL,F_ALO
        LD      DE,F_LO
ARGFAC1: LD     BC,8
        LDIR
        RET

; FPPUSH: push the FAC's 8 bytes on the stack (under the return address).
; FPPOPA: pop 8 bytes pushed by FPPUSH into ARG. FPPOPF: into the FAC.
; All three use BC and HL.
FPPUSH: POP     BC              ; our return address
        LD      HL,(F_LO)
        PUSH    HL
        LD      HL,(F_LO+2)
        PUSH    HL
        LD      HL,(F_LO+4)
        PUSH    HL
        LD      HL,(F_LO+6)
        PUSH    HL
        PUSH    BC
        RET
FPPOPA: POP     BC
        POP     HL
        LD      (F_ALO+6),HL
        POP     HL
        LD      (F_ALO+4),HL
        POP     HL
        LD      (F_ALO+2),HL
        POP     HL
        LD      (F_ALO),HL
        PUSH    BC
        RET
FPPOPF: POP     BC
        POP     HL
        LD      (F_LO+6),HL
        POP     HL
        LD      (F_LO+4),HL
        POP     HL
        LD      (F_LO+2),HL
        POP     HL
        LD      (F_LO),HL
        PUSH    BC
        RET

; ============================================================================
; Helpers on the unpacked mantissa: every loop runs over B = VALTYP bytes
; ============================================================================

; FPPTR: B = VALTYP (bytes in the working mantissa), HL = its lowest byte
; in the FAC (4124h - B: the guard byte), DE = the same in ARG (HL + 10).
FPPTR:  LD      A,(F_TYPE)
        LD      B,A
        NEG
        ADD     A,F_EXP & 0FFH  ; all the areas lie in page 41h
        LD      L,A
        LD      H,41H
        ADD     A,10
        LD      E,A
        LD      D,H
        RET

; FPWPTR: B = VALTYP, HL = lowest byte of the work area, DE = the FAC's.
FPWPTR: CALL    FPPTR
        LD      D,H
        LD      E,L
        LD      A,L
        ADD     A,F_WHI-F_HI    ; the work area is 2Eh bytes above
        LD      L,A
        RET

; FPF2W: copy the FAC's working mantissa to the work area.
FPF2W:  CALL    FPWPTR
        EX      DE,HL
        LD      C,B
        LD      B,0
        LDIR
        RET

; FPBITS: A = 80h + 8 x VALTYP: the exponent of a whole number that fills
; the working mantissa.
FPBITS: LD      A,(F_TYPE)
        ADD     A,A
        ADD     A,A
        ADD     A,A
        ADD     A,80H
        RET

; FPADDM: (HL...) += (DE...), B bytes, lowest first; CF = carry out.
FPADDM: OR      A
.loop:  LD      A,(DE)
        ADC     A,(HL)
        LD      (HL),A
        INC     HL
        INC     DE
        DJNZ    .loop
        RET

; FPSUBM: (HL...) -= (DE...), B bytes, lowest first; CF = borrow out.
FPSUBM: OR      A
.loop:  LD      A,(HL)
        EX      DE,HL
        SBC     A,(HL)
        EX      DE,HL
        LD      (HL),A
        INC     HL
        INC     DE
        DJNZ    .loop
        RET

; FPSHL: shift (HL...) left one bit, B bytes lowest first; CF in at the
; bottom, CF out of the top.
FPSHL:  RL      (HL)
        INC     HL
        DJNZ    FPSHL
        RET

; FPSHR: shift the B bytes whose top byte is at HL right one bit; CF in at
; the top, CF out of the bottom.
FPSHR:  RR      (HL)
        DEC     HL
        DJNZ    FPSHR
        RET

; FPSHRN: shift the B-byte number whose lowest byte is at HL right by A
; bits. Returns C = nonzero if any 1 bit fell off (the "sticky" bits).
; Keeps B and HL; uses A, DE.
FPSHRN: LD      C,0
.bytes: CP      8               ; whole bytes first
        JR      C,.bits
        SUB     8
        LD      E,A
        LD      A,C             ; the lowest byte falls off
        OR      (HL)
        LD      C,A
        PUSH    HL
        PUSH    BC
        DEC     B               ; move the other B-1 bytes down one place
        JR      Z,.top
.move:  INC     HL
        LD      A,(HL)
        DEC     HL
        LD      (HL),A
        INC     HL
        DJNZ    .move
.top:   LD      (HL),B          ; B = 0: the top byte becomes 0
        POP     BC
        POP     HL
        LD      A,E
        JR      .bytes
.bits:  OR      A
        RET     Z
        LD      E,A             ; E = bits still to shift
.bit:   PUSH    HL
        PUSH    BC
        LD      A,L             ; HL -> top byte
        ADD     A,B
        DEC     A
        LD      L,A
        OR      A               ; 0 comes in at the top
        CALL    FPSHR
        POP     BC
        POP     HL
        JR      NC,.next
        SET     0,C             ; a 1 fell off
.next:  DEC     E
        JR      NZ,.bit
        RET

; FPUNPK: unpack the FAC: F_SIGN = its sign, the top mantissa bit set, the
; guard byte cleared. FPUNPA: the same for ARG (its sign is not kept).
FPUNPK: LD      HL,F_HI
        LD      A,(HL)
        LD      (F_SIGN),A
        SET     7,(HL)
        CALL    FPPTR
        LD      (HL),0
        RET
FPUNPA: LD      HL,F_AHI
        SET     7,(HL)
        CALL    FPPTR
        XOR     A
        LD      (DE),A
        RET

; ============================================================================
; Normalise, round and pack the FAC
; ============================================================================

; FPNRP: normalise the unpacked FAC (shift the mantissa left until its top
; bit is 1, lowering the exponent; zero if nothing is left or the exponent
; falls to 0), then FPRND: round to nearest on the guard byte and pack the
; sign back (?OV ERROR if rounding overflows the exponent).
FPNRP:  CALL    FPPTR           ; B = bytes, HL = lowest
        LD      C,B
.bytes: LD      A,(F_HI)        ; a whole zero top byte: move up a byte
        OR      A
        JR      NZ,.bits
        DEC     C
        JR      Z,FPZERO        ; every byte was 0
        PUSH    BC
        LD      HL,F_HI-1
        LD      DE,F_HI
        LD      C,B
        DEC     C
        LD      B,0
        LDDR
        XOR     A
        LD      (DE),A          ; DE -> the lowest byte now
        POP     BC
        LD      A,(F_EXP)
        SUB     8
        JR      C,FPZERO
        JR      Z,FPZERO
        LD      (F_EXP),A
        JR      .bytes
.bits:  JP      M,FPRND         ; top bit set: normalised
        PUSH    BC
        CALL    FPPTR
        OR      A
        CALL    FPSHL
        POP     BC
        LD      HL,F_EXP
        DEC     (HL)
        JR      Z,FPZERO
        LD      A,(F_HI)
        OR      A
        JR      .bits

FPRND:  LD      A,(F_EXP)
        OR      A
        RET     Z
        CALL    FPPTR
        LD      A,(HL)          ; the guard byte
        ADD     A,A             ; CF = its top bit: half an ulp or more
        JR      NC,FPPACK
        DEC     B
.inc:   INC     HL              ; add 1 to the mantissa above the guard
        INC     (HL)
        JR      NZ,FPPACK
        DJNZ    .inc
        LD      (HL),80H        ; 0.111...1 + 1 ulp = 1.000: 0.1 x 2
        LD      HL,F_EXP
        INC     (HL)
        JR      Z,FPOVER
FPPACK: LD      A,(F_SIGN)      ; put the sign in bit 7 of the top byte
        OR      7FH
        LD      HL,F_HI
        AND     (HL)
        LD      (HL),A
        RET

; FPZERO: the FAC = 0 (keeps VALTYP).
FPZERO: XOR     A
        LD      (F_EXP),A
        RET

FPOVER: LD      E,E_OV          ; ?OV ERROR
        JP      ERROR
FPDIV0: LD      E,E_DV0         ; ?/0 ERROR
        JP      ERROR
FPFCER: LD      E,E_FC          ; ?FC ERROR
        JP      ERROR

; ============================================================================
; Addition and subtraction: FAC = ARG + FAC, FAC = ARG - FAC
; ============================================================================
SSUB:   CALL    FPSETS          ; BCDE - FAC, single
        JR      FSUB
SADD:   CALL    FPSETS          ; BCDE + FAC, single
        JR      FADD
DSUB:   CALL    FPSETD          ; ARG - FAC, double
        JR      FSUB
DADD:   CALL    FPSETD          ; ARG + FAC, double
        JR      FADD

; FPSETS: ARG = BCDE, VALTYP = 4. FPSETD: VALTYP = 8.
FPSETS: LD      (F_ASLO),DE
        LD      (F_AHI),BC
        LD      A,4
        JR      FPSET
FPSETD: LD      A,8
FPSET:  LD      (F_TYPE),A
        RET

; FSUB, FADD: the same with VALTYP already set (4, 5 or 8).
FSUB:   LD      HL,F_HI         ; a - b = a + (-b)
        LD      A,(HL)
        XOR     80H
        LD      (HL),A
FADD:   LD      A,(F_AEXP)
        OR      A
        RET     Z               ; x + 0 = x
        LD      HL,F_EXP
        LD      A,(HL)
        OR      A
        JP      Z,ARGFAC        ; 0 + y = y
        LD      A,(F_AEXP)
        SUB     (HL)
        JR      C,.order
        JR      Z,.order
        LD      HL,F_LO         ; ARG is bigger: swap so the FAC is
        LD      DE,F_ALO
        LD      B,8
.swap:  LD      A,(DE)
        LD      C,(HL)
        LD      (HL),A
        LD      A,C
        LD      (DE),A
        INC     HL
        INC     DE
        DJNZ    .swap
.order: LD      A,(F_AHI)       ; C bit 7 = the signs differ
        LD      HL,F_HI
        XOR     (HL)
        PUSH    AF
        CALL    FPUNPK
        CALL    FPUNPA
        LD      A,(F_AEXP)      ; shift ARG right by the exponent difference
        LD      C,A
        LD      A,(F_EXP)
        SUB     C
        EX      DE,HL
        CALL    FPSHRN
        LD      A,C
        OR      A
        JR      Z,.nost
        SET     0,(HL)          ; sticky bit: something fell off
.nost:  POP     AF
        PUSH    AF
        CALL    FPPTR
        POP     AF
        JP      M,FPASUB
        CALL    FPADDM          ; same signs: add the magnitudes
        JP      NC,FPNRP
; FPCARY: the mantissa carried out of its top: shift it right with that 1
; coming in, add 1 to the exponent, then round and pack.
FPCARY: CALL    FPPTR
        LD      HL,F_HI
        SCF
        CALL    FPSHR
        LD      HL,F_EXP
        INC     (HL)
        JP      Z,FPOVER
        JP      FPNRP
FPASUB: CALL    FPSUBM          ; signs differ: subtract the magnitudes
        JP      NC,FPNRP
        CALL    FPPTR           ; went negative: negate, flip the sign
        OR      A
.neg:   LD      A,0
        SBC     A,(HL)
        LD      (HL),A
        INC     HL
        DJNZ    .neg
        LD      HL,F_SIGN
        LD      A,(HL)
        XOR     80H
        LD      (HL),A
        JP      FPNRP

; ============================================================================
; Multiplication: FAC = ARG * FAC
; ============================================================================
SMUL:   CALL    FPSETS
        JR      FMUL
DMUL:   CALL    FPSETD
FMUL:   LD      A,(F_EXP)
        OR      A
        RET     Z               ; 0 * y = 0
        LD      A,(F_AEXP)
        OR      A
        JP      Z,FPZERO        ; x * 0 = 0
        LD      L,A             ; exponent = ea + ef - 80h
        LD      H,0
        LD      A,(F_EXP)
        LD      E,A
        LD      D,H
        ADD     HL,DE
        LD      DE,-80H
        ADD     HL,DE
        PUSH    HL              ; (checked once the product is normalised)
        LD      A,(F_AHI)       ; sign = sign of ARG xor sign of FAC
        LD      HL,F_HI
        XOR     (HL)
        PUSH    AF
        CALL    FPUNPK
        POP     AF
        LD      (F_SIGN),A
        CALL    FPUNPA
        CALL    FPWPTR          ; product = 0
.clr:   LD      (HL),0
        INC     HL
        DJNZ    .clr
        CALL    FPPTR           ; for each multiplier (ARG) byte, lowest
        EX      DE,HL           ; first; the zero bytes at the bottom would
.skip:  LD      A,(HL)          ; only shift a zero product: skip them
        OR      A
        JR      NZ,.byte
        INC     HL
        DJNZ    .skip
.byte:  PUSH    BC
        PUSH    HL
        LD      A,(HL)
        OR      A
        JR      NZ,.bits
        CALL    FPWPTR          ; a zero byte: product >>= 8
        LD      A,8
        CALL    FPSHRN
        JR      .nextb
.bits:  LD      C,A             ; C = the byte, a 1 above it marks its end
        SCF
        RR      C               ; CF = the next multiplier bit
.bit:   JR      NC,.noadd
        CALL    FPWPTR          ; product += multiplicand (FAC)
        CALL    FPADDM
.noadd: LD      HL,F_WHI        ; product = CF:product >> 1
        LD      A,(F_TYPE)
        LD      B,A
        CALL    FPSHR
        SRL     C
        JR      NZ,.bit         ; (C = 0: only the end mark was left)
.nextb: POP     HL
        INC     HL
        POP     BC
        DJNZ    .byte
; FPWFAC: the FAC's mantissa = the work area (a product or quotient, at
; most one bit short of normalised); the exponent (16 bits) is on the
; stack: normalise, check the exponent's range, round and pack.
FPWFAC: CALL    FPWPTR
        LD      C,B
        LD      B,0
        LDIR
        POP     HL
        LD      A,(F_HI)
        OR      A
        JP      M,.norm
        PUSH    HL
        CALL    FPPTR
        OR      A
        CALL    FPSHL
        POP     HL
        DEC     HL
.norm:  CALL    FPSETE
        JP      FPRND

; FPSETE: HL = the result's exponent (signed 16 bits): ?OV ERROR above FFh;
; below 1 the result is 0 and FPSETE returns to its caller's caller.
FPSETE: LD      A,H
        OR      A
        JR      NZ,.out
        OR      L
        JR      Z,.under
        LD      (F_EXP),A
        RET
.out:   JP      P,FPOVER
.under: POP     HL
        JP      FPZERO

; ============================================================================
; Division: FAC = ARG / FAC
; ============================================================================
SDIV:   CALL    FPSETS
        JR      FDIV
DDIV:   CALL    FPSETD
FDIV:   LD      A,(F_EXP)
        OR      A
        JP      Z,FPDIV0        ; x / 0
        LD      A,(F_AEXP)
        OR      A
        JP      Z,FPZERO        ; 0 / y = 0
        LD      L,A             ; exponent = ea - ef + 81h
        LD      H,0
        LD      DE,81H
        ADD     HL,DE
        LD      A,(F_EXP)
        LD      E,A
        LD      D,0
        SBC     HL,DE           ; (no carry after the ADD)
        PUSH    HL              ; (checked once the quotient is normalised)
        LD      A,(F_AHI)
        LD      HL,F_HI
        XOR     (HL)
        PUSH    AF
        CALL    FPUNPK
        POP     AF
        LD      (F_SIGN),A
        CALL    FPUNPA
        CALL    FPBITS          ; C = quotient bits = 8 x bytes
        ADD     A,80H
        LD      C,A
        OR      A               ; CF = the bit shifted out of the remainder
.loop:  JR      C,.sub          ; a bit was shifted out: the divisor fits
        LD      A,(F_TYPE)      ; does the divisor (FAC) fit in the
        LD      B,A             ; remainder (ARG)? Compare from the top
        LD      HL,F_AHI
        LD      DE,F_HI
.cmp:   LD      A,(DE)
        CP      (HL)
        JR      NZ,.cmpd
        DEC     HL
        DEC     DE
        DJNZ    .cmp            ; all equal (Z): it fits
.cmpd:  JR      Z,.sub
        JR      NC,.shift       ; too big: quotient bit 0 (CF = 0)
.sub:   CALL    FPPTR           ; remainder -= divisor
        EX      DE,HL
        CALL    FPSUBM
        SCF                     ; quotient bit 1
.shift: PUSH    AF
        CALL    FPWPTR          ; quotient = quotient << 1 | bit
        POP     AF
        CALL    FPSHL
        CALL    FPPTR           ; remainder <<= 1
        EX      DE,HL
        OR      A
        CALL    FPSHL
        DEC     C
        JR      NZ,.loop
        JP      FPWFAC

; ============================================================================
; Comparison: A = 0 if ARG = FAC, 1 if ARG > FAC, FFh if ARG < FAC
; ============================================================================
SCMP:   CALL    FPSETS
        JR      FCMP
DCMP:   CALL    FPSETD
FCMP:   LD      A,(F_AEXP)
        OR      A
        JR      NZ,.anz
        LD      A,(F_EXP)       ; ARG = 0: the FAC's sign decides
        OR      A
        RET     Z
        LD      A,(F_HI)
        CPL
        JR      FPSGNA
.anz:   LD      A,(F_EXP)
        OR      A
        LD      A,(F_AHI)
        JR      Z,FPSGNA        ; FAC = 0: ARG's sign decides
        LD      HL,F_HI
        XOR     (HL)
        LD      A,(F_AHI)
        JP      M,FPSGNA        ; signs differ: ARG's sign decides
        CALL    FPPTR           ; same sign: compare exponent, mantissa
        LD      HL,F_EXP        ; from the top (the sign bits are equal)
        LD      DE,F_AEXP
.cmp:   LD      A,(DE)
        CP      (HL)
        JR      NZ,.diff
        DEC     HL
        DEC     DE
        DJNZ    .cmp
        XOR     A               ; equal
        RET
.diff:  SBC     A,A             ; FFh if |ARG| < |FAC|, else 0
        LD      HL,F_HI
        XOR     (HL)            ; negative numbers: the other way round
; FPSGNA: A = 1 if bit 7 of A is 0, FFh if it is 1.
FPSGNA: RLA
        SBC     A,A
        OR      1
        RET

; ============================================================================
; Integers: DE op HL. Sums and differences that overflow, and products, are
; worked out in single precision; a product that fits becomes an integer
; again. Division always gives a single, as in Level II.
; ============================================================================

; FPINT: FAC = the integer HL, VALTYP 2. In the ROM the statements part's
; RETINT (Level II's fixed 0A9Ah, assembled before us) does exactly this, so
; FPINT is only another name for it; alone (the tests) fp.asm has its own.
        IFDEF   RETINT
FPINT   EQU     RETINT
        ELSE
FPINT:  LD      (F_SLO),HL
        LD      A,2
        LD      (F_TYPE),A
        RET
        ENDIF

IADD:   PUSH    DE
        PUSH    HL
        OR      A
        ADC     HL,DE           ; P/V = signed overflow
        JP      PE,.ovf
        POP     DE
        POP     DE
        JP      FPINT
.ovf:   POP     HL
        POP     DE
        XOR     A               ; 0: add
        JR      FPIOP
ISUB:   PUSH    DE
        PUSH    HL
        EX      DE,HL
        OR      A
        SBC     HL,DE
        JP      PE,.ovf
        POP     DE
        POP     DE
        JP      FPINT
.ovf:   POP     HL
        POP     DE
        LD      A,1             ; 1: subtract
        JR      FPIOP
IMUL:   LD      A,2             ; 2: multiply
        CALL    FPIOP
        LD      A,(F_EXP)       ; below 65536: try to make it an integer
        CP      91H
        RET     NC
        XOR     A
        JP      FPFLR
IDIV:   LD      A,3             ; 3: divide
; FPIOP: convert DE and HL to singles and apply operation A to them.
FPIOP:  PUSH    AF
        PUSH    HL
        EX      DE,HL
        CALL    FPITOF          ; the left operand, into BCDE
        CALL    FACBCDE
        POP     HL
        PUSH    BC
        PUSH    DE
        CALL    FPITOF          ; the right operand, in the FAC
        POP     DE
        POP     BC
        POP     AF
        OR      A
        JP      Z,SADD
        DEC     A
        JP      Z,SSUB
        DEC     A
        JP      Z,SMUL
        JP      SDIV

; ICMP: compare the integers DE (left) and HL (right), A as for SCMP.
ICMP:   LD      A,D             ; flipping both sign bits turns a signed
        XOR     80H             ; comparison into an unsigned one
        LD      D,A
        LD      A,H
        XOR     80H
        LD      H,A
        EX      DE,HL
        OR      A
        SBC     HL,DE           ; left - right
        LD      A,0
        RET     Z
        SBC     A,A             ; FFh if left < right
        OR      1
        RET

; FPITOF: FAC = the integer HL as a single (VALTYP 4).
FPITOF: LD      A,4
        LD      (F_TYPE),A
        LD      A,H
        LD      (F_SIGN),A
        OR      A
        JP      P,.pos
        XOR     A               ; HL = -HL (8000h stays 8000h = 32768)
        SUB     L
        LD      L,A
        SBC     A,A
        SUB     H
        LD      H,A
.pos:   LD      (F_HI-1),HL     ; magnitude in the top two mantissa bytes
        LD      HL,0
        LD      (F_HI-3),HL
        LD      A,90H           ; 2^16
        LD      (F_EXP),A
        JP      FPNRP

; ============================================================================
; Conversions and the simple functions
; ============================================================================

; FRCSNG (CSNG): the FAC to single precision (a double is rounded).
FN_CSNG:
FRCSNG: LD      A,(F_TYPE)
        CP      4
        RET     Z
        LD      HL,(F_SLO)
        JR      C,FPITOF        ; integer
        LD      A,4
; FPTOT: round the FAC (double or VALTYP 5) to VALTYP A (4 or 5).
FPTOT:  LD      (F_TYPE),A
        LD      A,(F_EXP)
        OR      A
        RET     Z
        LD      HL,F_HI
        LD      A,(HL)
        LD      (F_SIGN),A
        SET     7,(HL)
        JP      FPRND

; FRCDBL (CDBL): the FAC to double precision.
FN_CDBL:
FRCDBL: LD      A,(F_TYPE)
        CP      8
        RET     Z
        CP      4
        CALL    C,FRCSNG        ; an integer goes through single (exact)
        LD      A,(F_TYPE)
        CP      5
        JR      Z,.five
        XOR     A               ; a single has no 4120h byte
        LD      (F_SLO-1),A
.five:  LD      HL,0
        LD      (F_LO),HL
        LD      (F_LO+1),HL
        LD      A,8
        JP      FPSET

; FRCINT (CINT): the FAC to an integer, rounding down as Level II does
; (CINT(2.7) = 2, CINT(-2.7) = -3); ?OV ERROR outside -32768..32767.
; Returns HL = the integer too.
FN_CINT:
FRCINT: LD      A,(F_TYPE)
        CP      2
        JR      Z,.done
        LD      A,1
        CALL    FPFLR
        LD      A,(F_TYPE)
        CP      2
        JP      NZ,FPOVER
.done:  LD      HL,(F_SLO)
        RET

; INT: round down. FIX: round toward zero. The result is an integer when
; it fits in -32768..32767, otherwise a number of the argument's type.
FN_INT: LD      A,1
        JR      FPFLR0
FN_FIX: XOR     A
FPFLR0: LD      B,A
        LD      A,(F_TYPE)
        CP      2
        RET     Z
        LD      A,B
; FPFLR: A = 1 round down, 0 toward zero; on a single or double FAC.
FPFLR:  PUSH    AF
        LD      A,(F_EXP)
        OR      A
        JR      Z,.zero
        CALL    FPBITS          ; exponent >= 80h + mantissa bits: it is
        SUB     8               ; a whole number already (and too big for
                                ; an integer)
        LD      B,A
        LD      A,(F_EXP)
        CP      B
        JR      NC,.big
        CALL    FPTRN           ; N = the integer part of |x|
        POP     AF
        OR      A
        JR      Z,.trunc
        LD      A,(F_SIGN)      ; rounding a negative number down: a
        OR      A               ; fraction makes it one more
        JP      P,.trunc
        LD      A,C
        OR      A
        JR      Z,.trunc
        CALL    FPPTR
.inc:   INC     (HL)
        JR      NZ,.trunc
        INC     HL
        DJNZ    .inc
.trunc: CALL    FPPTR           ; N below 65536?
        LD      E,(HL)
        INC     HL
        LD      D,(HL)
        DEC     B
        DEC     B
.chk:   INC     HL
        LD      A,(HL)
        OR      A
        JR      NZ,.float
        DJNZ    .chk
        EX      DE,HL           ; an integer if it fits with its sign
        LD      A,(F_SIGN)
        CALL    FPNFIT
        RET     NC
.float: CALL    FPBITS          ; too big: back to a float of the same type
        LD      (F_EXP),A
        JP      FPNRP
.big:   POP     AF
        RET
.zero:  POP     AF
        LD      HL,0
        JP      FPINT

; FPNFIT: the whole number HL (0-65535) with the sign in bit 7 of A: if it
; fits an integer (up to 32767, or 32768 with a minus), FAC = that integer
; (VALTYP 2) and CF = 0; otherwise CF = 1.
FPNFIT: RLA                     ; CF = minus
        JR      C,.neg
        LD      A,H             ; plus: bit 15 must be 0
        RLA
        RET     C
        JP      FPINT           ; (FPINT keeps the flags: CF = 0)
.neg:   XOR     A               ; minus: HL = -HL must come out negative,
        SUB     L               ; or 0
        LD      L,A
        SBC     A,A
        SUB     H
        LD      H,A
        OR      A               ; (CF = 0)
        JP      M,FPINT
        OR      L
        JP      Z,FPINT
        SCF
        RET

; FPTRN: unpack the FAC and shift its working mantissa right so that it
; holds N = the integer part of |x|, lowest byte first; C = nonzero if a
; fraction fell off. The exponent must be below 80h + 8 x VALTYP.
FPTRN:  CALL    FPUNPK
        CALL    FPBITS
        LD      HL,F_EXP
        SUB     (HL)            ; bits to shift = 80h + 8 x VALTYP - exponent
        LD      C,A
        CALL    FPPTR
        LD      A,C
        JP      FPSHRN

; NEGFAC: FAC = -FAC (an integer -32768 becomes the single 32768).
NEGFAC: LD      A,(F_TYPE)
        CP      2
        JR      NZ,.flt
        LD      HL,(F_SLO)
        LD      DE,0
        JP      ISUB
.flt:   LD      HL,F_HI
        LD      A,(HL)
        XOR     80H
        LD      (HL),A
        RET

; ABS: |FAC|.
FN_ABS: LD      A,(F_TYPE)
        CP      2
        JR      NZ,.flt
        LD      A,(F_SLO+1)
        OR      A
        RET     P
        JR      NEGFAC
.flt:   LD      HL,F_HI
        RES     7,(HL)
        RET

; SGN: the integer -1, 0 or 1. FPSGN: A = FFh, 0 or 1 for the FAC's sign.
FN_SGN: CALL    FPSGN
        LD      L,A
        RLA
        SBC     A,A
        LD      H,A
        JP      FPINT
FPSGN:  LD      A,(F_TYPE)
        CP      2
        JR      NZ,.flt
        LD      HL,(F_SLO)
        LD      A,H
        OR      L
        RET     Z
        LD      A,H
        JP      FPSGNA
.flt:   LD      A,(F_EXP)
        OR      A
        RET     Z
        LD      A,(F_HI)
        JP      FPSGNA

; ============================================================================
; Powers of ten
; ============================================================================

; FPMUL10: FAC = FAC x 10, in the FAC's precision: x 8 by the exponent,
; then x 1.25 as mantissa + mantissa / 4 (exact while the result fits).
FPMUL10: LD     A,(F_EXP)
        OR      A
        RET     Z
        ADD     A,3
        JP      C,FPOVER
        LD      (F_EXP),A
        CALL    FPUNPK
        CALL    FPF2W
        LD      C,2             ; work area = mantissa / 4
.sh:    LD      HL,F_WHI
        LD      A,(F_TYPE)
        LD      B,A
        OR      A
        CALL    FPSHR
        DEC     C
        JR      NZ,.sh
        CALL    FPWPTR
        EX      DE,HL
        CALL    FPADDM
        JP      C,FPCARY
        JP      FPRND

; FPP10: FAC = 10^A (A = 0..38) as a double, exact up to 10^23.
FPP10:  LD      HL,0
        LD      (F_LO),HL
        LD      (F_LO+2),HL
        LD      (F_LO+4),HL
        LD      H,81H           ; 1.0: 00 ... 00 81
        LD      (F_LO+6),HL
        LD      C,A
        LD      A,8
        LD      (F_TYPE),A
.loop:  LD      A,C
        OR      A
        RET     Z
        PUSH    BC
        CALL    FPMUL10
        POP     BC
        DEC     C
        JR      .loop

; FPSC10: FAC = FAC x 10^A (A signed), in the FAC's precision. It works in
; steps of at most 10^23 (exact as a double); each step rounds once.
FPSC10: LD      C,A
.step:  LD      A,C
        OR      A
        RET     Z
        LD      B,0             ; B = 0: multiply
        JP      P,.pos
        NEG
        INC     B               ; B = 1: divide
.pos:   CP      24
        JR      C,.small
        LD      A,23
.small: LD      E,A             ; E = this step's power
        LD      A,(F_TYPE)
        LD      D,A             ; D = the value's type
        PUSH    BC
        PUSH    DE
        CALL    FPPUSH
        LD      A,E
        CALL    FPP10           ; FAC = 10^E
        CALL    FPPOPA          ; ARG = the value
        POP     DE
        PUSH    DE
        LD      A,D
        CP      8
        CALL    NZ,FPTOT        ; 10^E in the value's precision
        POP     DE
        POP     BC
        PUSH    BC
        PUSH    DE
        DEC     B
        JR      Z,.div
        CALL    FMUL
        JR      .next
.div:   CALL    FDIV
.next:  POP     DE
        POP     BC
        LD      A,C             ; move C toward 0 by E
        BIT     7,C
        JR      Z,.sub
        ADD     A,E
        JR      .upd
.sub:   SUB     E
.upd:   LD      C,A
        JR      .step

; ============================================================================
; FIN: number text -> FAC
; ============================================================================
; In: HL -> the first character of a number: an optional sign (+ - or their
; tokens CDh CEh), digits with an optional point, an optional exponent (E
; single, D double, its sign + - or the tokens) and an optional type mark
; (! single, # double, % integer). Spaces are skipped (through RST 10h), as
; Level II does. Out: FAC and VALTYP, HL -> the first character after the
; number, A = that character.
; Type: an integer when there is no point, exponent or mark and the value
; fits in -32768..32767; a double with #, a D exponent, or more than 7
; significant digits (unless marked !); otherwise a single.
; Registers while scanning: B = significant digits, C = flags (bit 0 point
; seen, 1 not an integer, 2 double, 3 single mark, 4 % mark, 5 exponent
; negative, 7 negative), D = power of ten to apply, E = exponent.
FIN:    PUSH    HL
        LD      HL,F_DGRD       ; N = 0 (64 bits at 411Ch-4123h)
        LD      B,8
.clr:   LD      (HL),0
        INC     HL
        DJNZ    .clr
        POP     HL
        LD      C,B
        LD      D,B
        DEC     HL
        RST     10H
        CP      '+'             ; + or its token (CDh): nothing to do
        JR      Z,.plus
        CP      0CDH
        JR      Z,.plus
        CP      '-'             ; - or its token (CEh): negative
        JR      Z,.neg
        CP      0CEH
        JR      NZ,.scan
.neg:   SET     7,C
.plus:  RST     10H
.scan:  CP      '0'
        JR      C,.notd
        CP      '9'+1
        JR      NC,.notd
        SUB     '0'             ; a digit
        LD      E,A
        OR      B
        JR      NZ,.sig
        BIT     0,C             ; a leading zero
        JR      Z,.next
        DEC     D
        JR      .next
.sig:   LD      A,B
        CP      17
        JR      NC,.drop
        INC     B
        CALL    FPDIG           ; N = N x 10 + E
        BIT     0,C
        JR      Z,.next
        DEC     D               ; a digit after the point
        JR      .next
.drop:  BIT     0,C             ; beyond 17 digits: only the size counts
        JR      NZ,.next
        INC     D
.next:  RST     10H
        JR      .scan
.notd:  LD      E,0             ; no exponent yet
        CP      '.'
        JR      NZ,.notpt
        BIT     0,C
        JR      NZ,.end         ; a second point ends the number
        LD      A,3
        OR      C
        LD      C,A
        JR      .next
.notpt: PUSH    AF
        AND     0DFH            ; lower case too
        CP      'E'
        JR      Z,.exp
        CP      'D'
        JR      NZ,.mark
        SET     2,C
.exp:   POP     AF
        SET     1,C
        RST     10H
        CP      '+'             ; the exponent's sign, as the number's
        JR      Z,.epls
        CP      0CDH
        JR      Z,.epls
        CP      '-'
        JR      Z,.eneg
        CP      0CEH
        JR      NZ,.edig
.eneg:  SET     5,C
.epls:  RST     10H
.edig:  CP      '0'
        JR      C,.end
        CP      '9'+1
        JR      NC,.end
        PUSH    BC
        SUB     '0'
        LD      B,A
        LD      A,E             ; E = E x 10 + digit, held at 99 when big
        CP      25
        LD      A,99
        JR      NC,.ebig
        LD      A,E
        ADD     A,A
        ADD     A,A
        ADD     A,E
        ADD     A,A
        ADD     A,B
.ebig:  LD      E,A
        POP     BC
        RST     10H
        JR      .edig
.mark:  POP     AF
        CP      '#'
        JR      NZ,.nhash
        LD      A,6
        JR      .setm
.nhash: CP      '!'
        JR      NZ,.npct
        LD      A,0AH
        JR      .setm
.npct:  CP      '%'
        JR      NZ,.end
        LD      A,10H
.setm:  OR      C
        LD      C,A
        RST     10H
; The text is read: build the value N x 10^(D +- E).
.end:   PUSH    HL              ; the text pointer and its character
        PUSH    AF
        LD      A,C
        AND     0EH
        JR      NZ,.float
        LD      A,B             ; an integer if N has 5 digits at most,
        CP      6               ; is below 65536 ...
        JR      NC,.float
        LD      A,(F_DGRD+2)
        OR      A
        JR      NZ,.float
        LD      HL,(F_DGRD)     ; ... and it fits with its sign
        LD      A,C
        CALL    FPNFIT
        JR      NC,.done
.float: LD      A,8             ; N as a double
        LD      (F_TYPE),A
        LD      A,0C0H
        LD      (F_EXP),A
        XOR     A
        LD      (F_SIGN),A
        PUSH    BC
        PUSH    DE
        CALL    FPNRP
        POP     DE
        POP     BC
        LD      A,E             ; the power of ten: D + E or D - E
        BIT     5,C
        JR      Z,.epos
        NEG
.epos:  ADD     A,D
        JP      PO,.pow         ; no overflow
        LD      A,D             ; beyond -128..127: 100 or -100 does as well
        RLA
        LD      A,100
        JR      NC,.pow
        LD      A,-100
.pow:   LD      D,A
        BIT     2,C             ; double: # or D
        JR      NZ,.dbl
        BIT     3,C             ; single: !
        JR      NZ,.sng
        LD      A,B
        CP      8
        JR      C,.sng
        SET     2,C             ; more than 7 digits: double
        JR      .dbl
.sng:   LD      A,D             ; a single and 10^-10..10^10: N and the
        ADD     A,10            ; power are exact singles, so one single
        CP      21              ; operation rounds right; otherwise work
        JR      NC,.dbl         ; in double and round at the end
        PUSH    BC
        PUSH    DE
        CALL    FRCSNG
        POP     DE
        POP     BC
.dbl:   PUSH    BC
        LD      A,D
        CALL    FPSC10
        POP     BC
        PUSH    BC
        BIT     2,C
        CALL    Z,FRCSNG
        POP     BC
        BIT     7,C
        CALL    NZ,NEGFAC
        BIT     4,C
        CALL    NZ,FRCINT
.done:  POP     AF
        POP     HL
        RET

; FPDIG: N (64 bits at 411Ch) = N x 10 + E. Keeps BC, DE, HL.
FPDIG:  PUSH    HL
        PUSH    DE
        PUSH    BC
        LD      A,8             ; as a VALTYP 8 working mantissa
        LD      (F_TYPE),A
        CALL    FPF2W           ; work = N
        CALL    .dbl            ; N x 2
        CALL    .dbl            ; N x 4
        CALL    FPWPTR          ; N x 5
        EX      DE,HL
        CALL    FPADDM
        CALL    .dbl            ; N x 10
        POP     BC
        POP     DE
        PUSH    DE
        PUSH    BC
        LD      HL,F_DGRD       ; + the digit
        LD      B,8
        LD      A,E
        ADD     A,(HL)
.carry: LD      (HL),A
        INC     HL
        LD      A,0
        ADC     A,(HL)
        DJNZ    .carry
        POP     BC
        POP     DE
        POP     HL
        RET
.dbl:   LD      HL,F_DGRD
        LD      B,8
        OR      A
        JP      FPSHL

; ============================================================================
; FOUT: FAC -> text as Level II prints it
; ============================================================================
; Out: HL = F_BUF (4130h), the text ending with 00h: a space or '-', then
; the number. Integers in full; singles to 6 significant digits, doubles
; to 16, without trailing zeros; a number whose first digit is 10^k is
; written in fixed form when -2 <= k < digits (.01, 999999, .0333333),
; otherwise as d.dddddE+kk (D+kk for doubles): 1E+06, 1E-03. The FAC is
; destroyed (VALTYP is kept).
FOUT:   LD      HL,F_BUF
        LD      (HL),' '
        LD      A,(F_TYPE)      ; VALTYP is given back at the end
        PUSH    AF
        CP      2
        JR      NZ,.flt
        LD      DE,(F_SLO)      ; an integer
        BIT     7,D
        JR      Z,.ipos
        LD      (HL),'-'
        XOR     A
        SUB     E
        LD      E,A
        SBC     A,A
        SUB     D
        LD      D,A
.ipos:  PUSH    DE
        LD      A,8
        LD      (F_TYPE),A
        LD      HL,0
        LD      (F_DGRD+2),HL
        LD      (F_DGRD+4),HL
        LD      (F_DGRD+6),HL
        POP     HL
        LD      (F_DGRD),HL
        CALL    FPDIGS
        LD      HL,F_DIG
        LD      C,B             ; all the digits before the point
        XOR     A               ; and no exponent
        JP      .out
.flt:   LD      A,(F_EXP)
        OR      A
        JR      NZ,.nz
        INC     HL              ; zero: " 0"
        LD      (HL),'0'
        INC     HL
        LD      (HL),A
        JP      .ret
.nz:    LD      A,(F_HI)
        OR      A
        JP      P,.pos
        LD      (HL),'-'
.pos:   CALL    FPDGT           ; E digits at F_DIG, D = k
        LD      HL,F_DIG-1      ; B = digits without the trailing zeros
        LD      A,L
        ADD     A,E
        LD      L,A
.strip: LD      A,(HL)
        CP      '0'
        JR      NZ,.form
        DEC     HL
        DJNZ    .strip
.form:  LD      HL,F_DIG
        LD      C,D             ; C = k
        LD      A,D             ; fixed form when k + 2 <= digits + 1
        ADD     A,2
        LD      D,A
        LD      A,E
        INC     A
        CP      D
        LD      A,0             ; (no exponent)
        JR      NC,.fixed
        LD      A,'E'           ; exponent form: E, or D for a double
        BIT     4,E
        JR      Z,.elet
        LD      A,'D'
.elet:  PUSH    BC              ; k, for the exponent
        LD      C,0             ; the point after the first digit
.fixed: INC     C               ; C = p, the digits before the point
.out:   PUSH    AF              ; the exponent letter, or 0
        LD      DE,F_BUF+1
        LD      A,C
        DEC     A
        JP      P,.digs
        LD      A,'.'           ; p <= 0: the point, then -p zeros
        LD      (DE),A
        INC     DE
.zeros: LD      A,C
        OR      A
        JR      Z,.digs
        LD      A,'0'
        LD      (DE),A
        INC     DE
        INC     C
        JR      .zeros
.digs:  LD      A,B             ; B digits are left, C before the point
        OR      A
        JR      NZ,.dig
        LD      A,C             ; none left: zeros up to the point, if it
        DEC     A               ; is still ahead
        JP      M,.end
        LD      A,'0'
        JR      .put
.dig:   LD      A,(HL)
        INC     HL
        DEC     B
.put:   LD      (DE),A
        INC     DE
        DEC     C
        JR      NZ,.digs
        LD      A,B             ; the point, if digits follow
        OR      A
        JR      Z,.end
        LD      A,'.'
        LD      (DE),A
        INC     DE
        JR      .digs
.end:   POP     AF              ; E+kk or D+kk
        OR      A
        JR      Z,.fin
        LD      (DE),A
        INC     DE
        POP     BC
        LD      A,C
        LD      B,'+'
        OR      A
        JP      P,.eplus
        NEG
        LD      B,'-'
.eplus: EX      DE,HL
        LD      (HL),B
        INC     HL
        LD      B,'0'-1
.tens:  INC     B
        SUB     10
        JR      NC,.tens
        ADD     A,'0'+10
        LD      (HL),B
        INC     HL
        LD      (HL),A
        INC     HL
        EX      DE,HL
.fin:   XOR     A
        LD      (DE),A
.ret:   POP     AF
        LD      (F_TYPE),A
        LD      HL,F_BUF
        RET

; FPDGT: the digits of the nonzero FAC |x| (VALTYP 4 or 8; the sign bit is
; cleared): E of them (6 for a single, 16 for a double), rounded, as ASCII
; at F_DIG, and D = k, the power of ten of the first digit (x is about
; 0.ddd x 10^(k+1)). FOUT's first half; PRINT USING takes the digits from
; here too. The FAC is destroyed.
FPDGT:  LD      A,(F_TYPE)
        LD      E,6             ; E = digits shown
        CP      8
        JR      NZ,.six
        LD      E,16
.six:   LD      HL,F_HI
        RES     7,(HL)
        PUSH    DE
        CALL    NZ,FPW5         ; a single is worked with 32 bits (enough
        POP     DE              ; for 6 digits), a double with 56
        LD      A,(F_EXP)       ; D = k, the power of ten of the first
        SUB     81H             ; digit: about (exponent - 81h) x 77/256
        PUSH    DE
        LD      E,A
        RLA
        SBC     A,A
        LD      D,A
        LD      HL,0
        LD      B,77
.est:   ADD     HL,DE
        DJNZ    .est
        POP     DE
        LD      D,H
        CALL    FPPUSH          ; keep |x|
.try:   CALL    FPPOPF
        CALL    FPPUSH
        PUSH    DE
        LD      A,E             ; scale |x| to E digits before the point
        DEC     A
        SUB     D
        CALL    FPSC10
        LD      HL,0            ; ARG = 0.5
        LD      (F_ALO),HL
        LD      (F_ALO+2),HL
        LD      (F_ALO+4),HL
        LD      H,80H
        LD      (F_ALO+6),HL
        CALL    FADD            ; round to a whole number
        CALL    FPTRN
        LD      A,(F_TYPE)      ; a VALTYP 5 number: move N down to
        CP      8               ; 411Ch, where FPDIGS wants it
        JR      Z,.dbl
        LD      HL,F_DGRD+3
        LD      DE,F_DGRD
        LD      BC,5
        LDIR
        LD      H,B
        LD      L,C
        LD      (F_DGRD+5),HL
        LD      (F_DGRD+6),HL
.dbl:   CALL    FPDIGS          ; B = how many digits it has
        POP     DE
        LD      A,B
        CP      E
        JR      Z,.ok
        INC     D               ; too many: the first digit is 10^(k+1)
        JR      NC,.try
        DEC     D               ; too few: 10^(k-1)
        DEC     D
        JR      .try
.ok:    LD      HL,8            ; drop the saved |x|
        ADD     HL,SP
        LD      SP,HL
        RET

; FPDIGS: write the decimal digits of N (the 64-bit number at 411Ch-4123h,
; destroyed) at F_DIG, most significant first. Returns B = how many.
FPDIGS: LD      C,0
.div:   LD      HL,F_HI+1       ; N = N / 10, A = the remainder, one byte
        LD      B,9             ; at a time from the top nonzero one
.skip:  DEC     HL
        DEC     B
        JR      Z,.last         ; N = 0 (A = 0): the digit 0
        LD      A,(HL)
        OR      A
        JR      Z,.skip
        XOR     A
.byte:  PUSH    BC
        LD      B,8
.bit:   RL      (HL)            ; the next bit of N into A; the quotient
        RLA                     ; bit (CF) into N
        CP      10
        JR      C,.lt
        SUB     10
.lt:    CCF
        DJNZ    .bit
        RL      (HL)
        POP     BC
        DEC     HL
        DJNZ    .byte
.last:  ADD     A,'0'
        POP     HL              ; keep the digit under the return address
        PUSH    AF
        PUSH    HL
        INC     C
        LD      HL,F_DGRD       ; until N = 0
        LD      B,8
        XOR     A
.zero:  OR      (HL)
        INC     HL
        DJNZ    .zero
        JR      NZ,.div
        POP     DE              ; the return address
        LD      HL,F_DIG
        LD      B,C
.pop:   POP     AF
        LD      (HL),A
        INC     HL
        DJNZ    .pop
        LD      B,C
        PUSH    DE
        RET

; FPW5: a single in the FAC becomes a working number (VALTYP 5, a 32-bit
; mantissa at 4120h-4123h).
FPW5:   XOR     A
        LD      (F_SLO-1),A
        LD      A,5
        LD      (F_TYPE),A
        RET

; The maths functions and the power operator. A ROM short of room can
; leave them out by defining FP_NOFUNC before including fp.asm: FN_SQR...
; FN_RND and SPOW are then left to stand-ins.
        IFNDEF  FP_NOFUNC
        INCLUDE "fpfunc.asm"
        ENDIF
