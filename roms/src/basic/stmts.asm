; BASIC statements and functions that talk to the machine
; =========================================================
;
; Part of the free ROM's BASIC (the "statements" part, see ABI.md). Written
; from scratch for z80emu; the behaviour follows Level II BASIC as the
; TRS-80 manuals describe it, the addresses follow TRS80-REFERENCE.md.
;
; Here: POKE, OUT, PEEK, INP, USR (and Level II's two fixed helpers for USR
; routines at 0A7Fh and 0A9Ah), FRE, MEM, POS, VARPTR, CLS, SET, RESET,
; POINT, RANDOM, TRON, TROFF, SYSTEM, LPRINT, LLIST, DATA, READ, RESTORE,
; CSAVE, CLOAD, CLOAD?, AUTO, DELETE, EDIT. PRINT USING is in using.asm.
;
; How a handler is called (ABI.md): HL is the BASIC text pointer. A
; statement handler starts with HL at the first character after its token
; and returns with HL at the end of the statement. A one-argument function
; (PEEK, INP, USR, FRE, POS) finds its argument already in the accumulator
; FAC and leaves its result there, with VALTYP (40AFh) saying the type; it
; may change HL. A function with no or several arguments (MEM, POINT,
; VARPTR) parses its own text and must return HL after it.

; ---- addresses used here (Level II's, TRS80-REFERENCE.md 6.5 and 6.6) --------
ST_VIDEO  EQU   3C00H           ; video RAM: 16 rows of 64 cells
ST_USRAD  EQU   408EH           ; address that USR calls
ST_DEVICE EQU   409CH           ; output device: 0 video, 1 printer
ST_POS    EQU   40A6H           ; cursor column for POS
ST_TXTTAB EQU   40A4H           ; start of the program
ST_VALTYP EQU   40AFH           ; type of the value in FAC
ST_VARTAB EQU   40F9H           ; end of the program = start of variables
ST_STREND EQU   40FDH           ; end of the arrays = start of free memory
ST_DATPTR EQU   40FFH           ; where READ takes its next item
ST_TRACE  EQU   411BH           ; TRON flag: not zero = trace on
ST_FAC    EQU   4121H           ; FAC: integer value, or lowest mantissa byte
ST_FACEXP EQU   4124H           ; FAC: exponent of a single/double value

; ============================================================================
; 0A7Fh and 0A9Ah: Level II's fixed helpers for machine-language USR
; routines. A USR routine finds BASIC's argument in FAC; it calls 0A7Fh to
; get it as a 16-bit integer in HL, and ends with JP 0A9Ah to hand HL back
; to BASIC as the integer value of USR(...).
; ============================================================================
ST_HERE DEFL    $               ; carry on here after the fixed slots
        ORG     0A7FH
; FAC (any numeric type) -> HL as an integer, ?OV if it does not fit
; -32768..32767 (FRCINT, maths part). Uses AF, BC, DE.
USRARG: CALL    FRCINT
        LD      HL,(ST_FAC)
        RET

; A few small helpers fill the gap up to 0A9Ah.

; TRON and TROFF: the flag at 411Bh is what the interpreter looks at before
; each line to print [line number]. TRON enters at the LD A,n whose operand
; is the XOR A of TROFF: it loads AFh (not zero).
ST_TRON: DB     3EH             ; LD A,0AFh (swallows the XOR A)
ST_TROFF: XOR   A
        LD      (ST_TRACE),A
        RET

; SYSTEM: the firmware's tape loader for machine-language programs.
ST_SYSTEM: JP   02B2H

; RANDOM: the firmware reseeds the random numbers from the R register.
ST_RANDOM: JP   01D3H

        ORG     0A9AH
; HL -> FAC as an integer (VALTYP 2). HL is kept: the value can also be the
; result of a function that must keep its text pointer. Uses A.
RETINT: LD      (ST_FAC),HL
        LD      A,2
        LD      (ST_VALTYP),A
        RET

; HL (0-65535, unsigned) -> FAC as a single precision value, for numbers
; that can pass 32767 (free memory). Single format (ABI.md): exponent at
; 4124h biased by 80h, the mantissa below it with its top bit replaced by
; the sign. Uses AF, B, HL.
RETUNS: LD      B,90H           ; HL = 0.HL x 2^16
        LD      A,H
        OR      L
        JR      NZ,RETUN2
        LD      B,A             ; zero: exponent 0
        JR      RETUN3
RETUN1: DEC     B               ; shift left until the top bit is 1
        ADD     HL,HL
RETUN2: BIT     7,H
        JR      Z,RETUN1
        RES     7,H             ; positive: the sign bit is 0
RETUN3: LD      (ST_FAC+1),HL   ; 4122h = L, 4123h = H
        XOR     A
        LD      (ST_FAC),A      ; the lowest mantissa byte is 0
        LD      A,B
        LD      (ST_FACEXP),A
        LD      A,4
        LD      (ST_VALTYP),A
        RET

; ============================================================================
; FACADR: the value in FAC (integer, single or double) as a 16-bit address
; in DE, truncating any fraction. -65535..65535 are accepted; negative
; values are taken modulo 65536 (-1 is FFFFh). Otherwise ?FC; a string
; gives ?TM. Uses AF, B, HL.
; ============================================================================
FACADR: RST     20H             ; GETYPE: M integer, Z string
        JP      Z,TMERR
        LD      HL,(ST_FAC)
        JP      M,FACAD4        ; an integer: it is already there
        LD      HL,0
        LD      A,(ST_FACEXP)
        SUB     81H             ; A = exponent - 1: bits before the point - 1
        JR      C,FACAD4        ; |x| < 1: 0
        CP      16
        JP      NC,FCERR        ; |x| >= 65536
        LD      HL,(ST_FAC+1)   ; H = top mantissa byte (sign bit), L = next
        SET     7,H             ; the implied leading 1
        SUB     15
        NEG
        JR      Z,FACAD2        ; 16 bits before the point: no shift
        LD      B,A             ; shift right 15 - (exponent - 81h) times
FACAD1: SRL     H
        RR      L
        DJNZ    FACAD1
FACAD2: LD      A,(ST_FAC+2)    ; the sign
        OR      A
        JP      P,FACAD4
FACAD3: XOR     A               ; negative: HL = 0 - HL
        SUB     L
        LD      L,A
        SBC     A,A
        SUB     H
        LD      H,A
FACAD4: EX      DE,HL
        RET

ST_SLOT DEFL    $               ; the first free byte before 0B00h
        ORG     ST_HERE         ; back to where basic.asm included us

; ============================================================================
; POKE address,value: store a byte. The address may be 0-65535 or, as
; Level II programs write it for addresses above 32767, negative (-1 is
; FFFFh).
; ============================================================================
ST_POKE: CALL   GETADR          ; DE = address
        PUSH    DE
        RST     08H             ; a comma must follow
        DB      ','
        CALL    GETBYT          ; A = value, 0-255
        POP     DE
        LD      (DE),A
        RET

; ============================================================================
; OUT port,value: write a byte to an I/O port.
; ============================================================================
ST_OUT: CALL    GETBYT          ; A = port
        PUSH    AF
        RST     08H
        DB      ','
        CALL    GETBYT          ; A = value
        POP     BC              ; B = port
        LD      C,B
        OUT     (C),A
        RET

; ============================================================================
; PEEK(address): the byte stored there, as an integer.
; ============================================================================
FN_PEEK: CALL   FACADR
        LD      A,(DE)
RETA:   LD      L,A             ; A -> FAC as an integer 0-255
        LD      H,0
        JP      RETINT

; ============================================================================
; INP(port): the byte read from an I/O port.
; ============================================================================
FN_INP: CALL    FACADR
        LD      A,D             ; the port is 0-255
        OR      A
        JP      NZ,FCERR
        LD      C,E
        IN      A,(C)
        JR      RETA

; ============================================================================
; POS(x): the cursor's column (the argument is not used).
; ============================================================================
FN_POS: LD      A,(ST_POS)
        JR      RETA

; ============================================================================
; USR(x): call the machine-language routine whose address is at 408Eh
; (POKE 16526,low : POKE 16527,high). It finds x in FAC and returns with
; RET; FAC then holds the result (x itself unless the routine changed it,
; for instance with JP 0A9Ah). The address is ?FC until a program sets it.
; ============================================================================
FN_USR: LD      HL,(ST_USRAD)
        JP      (HL)

; ============================================================================
; MEM: bytes of free memory, between the end of the arrays and the stack.
; FRE(x) with a number is the same; FRE with a string gives the free string
; space.
; ============================================================================
FN_MEM: PUSH    HL              ; keep the text pointer
        CALL    FREMEM
        POP     HL
        RET

FN_FRE: RST     20H             ; a string argument?
        JR      NZ,FREMEM
        CALL    FRESTR          ; strings part: free string space -> HL
        JP      RETUNS
FREMEM: LD      HL,0
        ADD     HL,SP
        LD      DE,(ST_STREND)
        OR      A
        SBC     HL,DE
        JP      RETUNS

; ============================================================================
; VARPTR(variable): the address of the variable's value (for a string, of
; its 3-byte descriptor), as an integer (negative above 32767, as in
; Level II). Entered with HL after the token.
; ============================================================================
FN_VARPTR: RST  08H
        DB      '('
        CALL    PTRGET          ; DE = the value's address
        RST     08H
        DB      ')'
        EX      DE,HL
        CALL    RETINT
        EX      DE,HL
        RET

; ============================================================================
; CLS: clear the screen (firmware 01C9h); the cursor goes home.
; ============================================================================
ST_CLS: PUSH    HL
        CALL    01C9H
        XOR     A
        LD      (ST_POS),A
        POP     HL
        RET

; ============================================================================
; SET(x,y), RESET(x,y), POINT(x,y): the 128 x 48 block graphics. Each
; screen cell holds 2 x 3 blocks (TRS80-REFERENCE.md 3.5, 3.6):
;   cell = 3C00h + 64 * (y / 3) + x / 2,  bit = 2 * (y mod 3) + (x mod 2).
; A cell that does not hold a graphics character (bit 7 clear) counts as
; 80h, all blocks dark. x outside 0-127 or y outside 0-47: ?FC.
; ============================================================================
ST_SET: CALL    GRPARM
        OR      C               ; light the block
GRSTO:  LD      (HL),A
        EX      DE,HL           ; HL = text pointer
        RET

ST_RESET: CALL  GRPARM
        LD      B,A
        LD      A,C
        CPL
        AND     B               ; darken the block
        JR      GRSTO

; POINT(x,y): -1 if the block is lit, 0 if not.
FN_POINT: CALL  GRPARM
        AND     C
        EX      DE,HL           ; HL = text pointer
        LD      DE,0
        JR      Z,FNPNT1
        DEC     DE              ; -1
FNPNT1: EX      DE,HL
        CALL    RETINT
        EX      DE,HL
        RET

; Parse "(x,y)" at HL. Returns HL = the cell's address, A = the cell's
; graphics byte (80h if it held text), C = the block's bit mask,
; DE = text pointer after the ")". Uses B.
GRPARM: RST     08H
        DB      '('
        CALL    GETBYT          ; x
        CP      128
        JP      NC,FCERR
        PUSH    AF
        RST     08H
        DB      ','
        CALL    GETBYT          ; y
        CP      48
        JP      NC,FCERR
        RST     08H
        DB      ')'
        EX      DE,HL           ; DE = text pointer
        LD      C,0FFH          ; C = y / 3, A = y mod 3
GRPAR1: INC     C
        SUB     3
        JR      NC,GRPAR1
        ADD     A,3
        ADD     A,A             ; B = 2 * (y mod 3)
        LD      B,A
        LD      L,C             ; HL = 64 * (y / 3)
        LD      H,0
        ADD     HL,HL
        ADD     HL,HL
        ADD     HL,HL
        ADD     HL,HL
        ADD     HL,HL
        ADD     HL,HL
        POP     AF              ; x
        SRL     A               ; A = x / 2, carry = x mod 2
        LD      C,A
        LD      A,B
        ADC     A,0             ; the bit number 0-5
        LD      B,A
        LD      A,C
        ADD     A,L             ; no carry: L is 00h/40h/80h/C0h, A < 64
        LD      L,A
        LD      A,H
        ADD     A,HIGH ST_VIDEO
        LD      H,A
        LD      C,1             ; C = 1 << bit
        INC     B
GRPAR2: DEC     B
        JR      Z,GRPAR3
        SLA     C
        JR      GRPAR2
GRPAR3: LD      A,(HL)
        OR      A
        RET     M               ; already graphics
        LD      A,80H           ; text counts as an empty graphics cell
        RET

; ============================================================================
; LPRINT and LLIST: PRINT and LIST with the output device (409Ch) set to
; the printer, so every character goes through the printer DCB at 4025h
; (and so through a driver hooked at 4026h). The device goes back to the
; video when the statement ends (and, if an error or LIST's end stops
; it, when READY is printed).
; ============================================================================
ST_LPRINT: CALL PRDEV
        CALL    ST_PRINT
        JR      VIDDEV

ST_LLIST: CALL  PRDEV
        CALL    ST_LIST
VIDDEV: XOR     A               ; back to the video
        JR      SETDEV
PRDEV:  LD      A,1
SETDEV: LD      (ST_DEVICE),A
        RET
