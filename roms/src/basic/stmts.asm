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
ST_POS    EQU   40A6H           ; cursor column (CLS sets it to 0)
ST_CURSOR EQU   4020H           ; the cursor's address in video RAM
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
; each line to print <line number>. TRON enters at the LD A,n whose operand
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
        XOR     A               ; negative: HL = 0 - HL
        SUB     L
        LD      L,A
        SBC     A,A
        SUB     H
        LD      H,A
FACAD4: EX      DE,HL
        RET

ST_SLOT DEFL    $               ; the first free byte before 0B00h
        ORG     ST_HERE         ; back to where basic.asm included us
; ---- (the next 12 bytes go into the firmware's free bytes at 028Ah: code
; reached only by CALL and JP, so it may live anywhere) ----
MVBACK  DEFL    $               ; where the main run goes on
        ORG     028AH

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
GAP028A DEFL    $               ; the next free byte at 028Ah
        ORG     MVBACK          ; back to the main run
; ---- (the next 90 bytes go into the firmware's free bytes at 0671h: code
; reached only by CALL and JP, so it may live anywhere) ----
MVBACK  DEFL    $               ; where the main run goes on
        ORG     0671H

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
; POS(x): the cursor's column on the screen (the argument is not used). It
; is read from the cursor address at 4020h, so it is right after a line was
; typed too.
; ============================================================================
FN_POS: LD      A,(ST_CURSOR)
        AND     3FH
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
GAP0671 DEFL    $               ; the next free byte at 0671h
        ORG     MVBACK          ; back to the main run

; ============================================================================
; CLS: clear the screen (firmware 01C9h); the cursor goes home.
; ============================================================================
ST_CLS: PUSH    HL
        CALL    01C9H
        XOR     A
        LD      (ST_POS),A
        POP     HL
        RET
; ---- (the next 30 bytes go into the firmware's free bytes at 043Ah: code
; reached only by CALL and JP, so it may live anywhere) ----
MVBACK  DEFL    $               ; where the main run goes on
        ORG     043AH

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
        AND     C               ; the bit: A = FFh (-1) if lit, else 0
        ADD     A,0FFH
        SBC     A,A
        LD      L,A
        LD      H,A
        CALL    RETINT
        EX      DE,HL           ; HL = text pointer
        RET
GAP043A DEFL    $               ; the next free byte at 043Ah
        ORG     MVBACK          ; back to the main run

; Parse "(x,y)" at HL. Returns HL = the cell's address, A = the cell's
; graphics byte (80h if it held text), C = the block's bit mask,
; DE = text pointer after the ")". Uses B.
GRPARM: RST     08H
        DB      '('
        CALL    GETBYT          ; x
        CP      128
FCNC1:  JP      NC,FCERR
        PUSH    AF
        RST     08H
        DB      ','
        CALL    GETBYT          ; y
        CP      48
        JR      NC,FCNC1    ; (its JP NC,FCERR sees the same flag)
        RST     08H
        DB      ')'
        LD      A,E             ; y again (GETBYT left it in E too)
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
; ---- (the next 188 bytes go into the firmware's free bytes at 09C3h: code
; reached only by CALL and JP, so it may live anywhere) ----
MVBACK  DEFL    $               ; where the main run goes on
        ORG     09C3H

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
        LD      (ST_DEVICE),A
        RET
PRDEV:  PUSH    AF              ; (PRINT and LIST need A and the flags)
        LD      A,1
        LD      (ST_DEVICE),A
        POP     AF
        RET

; ============================================================================
; DATA, READ, RESTORE. The DATA pointer (40FFh) is where the next READ
; looks: at the "," after the last item read, at the end of a DATA
; statement, or (after RUN or RESTORE) at the 00h just before the program.
; The line of the DATA statement last reached is kept at 40DAh, as Level II
; does, so that a bad item reports ?SN ERROR IN (that line).
; ============================================================================
ST_DATLN EQU    40DAH           ; line number of the current DATA statement
ST_CURLN EQU    40A2H           ; the line being run

; DATA when it is run: nothing to do, step over it (the core's SKPSTM:
; HL to the statement's end, quotes respected).
ST_DATA EQU     SKPSTM

; RESTORE: READ starts again from the first DATA statement. Keeps HL.
ST_RESTORE:
RESTOR: EX      DE,HL
        LD      HL,(ST_TXTTAB)
        DEC     HL              ; the 00h before the program
        LD      (ST_DATPTR),HL
        EX      DE,HL
        RET

; READ var[,var...]: each variable takes the next DATA item; ?OD ERROR
; when there are no more. A string variable takes the item as text (in
; quotes or up to the next , or :), a numeric one the number written there,
; converted to the variable's type.
ST_READ: CALL   PTRGET          ; DE = the variable, VALTYP = its type
        PUSH    HL              ; text pointer
        PUSH    DE
        LD      A,(ST_VALTYP)
        PUSH    AF
        LD      HL,(ST_DATPTR)
        LD      A,(HL)
        CP      ','
        CALL    NZ,DATFND       ; not after an item: the next DATA statement
        RST     10H             ; the item's first character
        POP     AF              ; the variable's type
        PUSH    AF
        CP      3
        JR      NZ,READ1
        CALL    STRLIT          ; a string item
        JR      READ2
READ1:  CALL    FIN             ; a number
READ2:  DEC     HL              ; then only a ',' or the statement's end
        RST     10H
        JR      Z,READ3
        CP      ','
        JR      Z,READ3
        LD      HL,(ST_DATLN)   ; ?SN ERROR in the DATA line
        LD      (ST_CURLN),HL
        JP      SNERR
READ3:  LD      (ST_DATPTR),HL
        POP     AF              ; A = the variable's type
        POP     DE              ; DE = the variable
        CALL    ASSIGN          ; core: store it there, converted
        POP     HL              ; another variable after a comma?
        LD      A,(HL)
        CP      ','
        RET     NZ
        RST     10H
        JR      ST_READ

; DATFND: HL at the end of a statement (':' or 00h). Find the next DATA
; statement: HL at its token. ?OD ERROR at the end of the program.
; Uses AF, DE.
DATFND: LD      A,(HL)
        OR      A
        JR      NZ,DATFN1       ; a ':': the next statement
        INC     HL              ; the end of a line: the link...
        LD      A,(HL)
        INC     HL
        OR      (HL)
        LD      E,06H           ; ... 0000h: no more DATA
        JP      Z,ERROR
        INC     HL              ; the line number
        LD      E,(HL)
        INC     HL
        LD      D,(HL)
        LD      (ST_DATLN),DE
DATFN1: RST     10H             ; the statement's first character
        CP      88H             ; DATA?
        RET     Z
        CALL    SKPSTM
        JR      DATFND

; ============================================================================
; CSAVE "name" and CLOAD / CLOAD? ["name"]: BASIC programs on tape, as
; Level II records them (TRS80-REFERENCE.md 4.3): the leader and A5h sync
; (firmware 0287h), D3h D3h D3h, the name's first character, then the
; program's bytes from TXTTAB up to VARTAB - 1, which end with three 00h
; (the last line's end and the 0000h link). The firmware's 500-baud
; routines do the bits: 0212h motor on, 0264h write a byte, 0296h find the
; sync, 0235h read a byte, 01F8h motor off.
; ============================================================================
ST_CSAVE: CALL  EVALSTR         ; the name
        PUSH    HL
        CALL    FREFAC          ; C = length, DE = characters
        OR      A
        JP      Z,FCERR         ; "" is no name
        LD      A,(DE)
        LD      C,A             ; C = the name
        XOR     A
        CALL    0212H           ; cassette #1, motor on
        CALL    0287H           ; leader and sync
        LD      A,0D3H
        CALL    0264H
        CALL    0264H
        CALL    0264H
        LD      A,C
        CALL    0264H
        LD      HL,(ST_TXTTAB)
        LD      DE,(ST_VARTAB)
CSAVE1: LD      A,(HL)          ; the program, up to VARTAB - 1
        CALL    0264H
        INC     HL
        RST     18H
        JR      NZ,CSAVE1
CSAVE2: CALL    01F8H           ; motor off
        POP     HL
        RET
GAP09C3 DEFL    $               ; the next free byte at 09C3h
        ORG     MVBACK          ; back to the main run

; CLOAD? compares the tape with the program in memory and says BAD if they
; differ. CLOAD replaces the program (and forgets the variables). With a
; name, the tape's programs with another name are passed over. BREAK stops
; the tape (firmware 0235h).
ST_CLOAD: LD    B,1             ; B = 1: CLOAD, 0: CLOAD?
        CP      0B2H            ; CLOAD? : the ? is stored as PRINT's token
        JR      NZ,CLOAD1
        DEC     B
        INC     HL
CLOAD1: DEC     HL              ; Z at the end of the statement
        RST     10H
        LD      C,0             ; C = the name, 0 = any
        PUSH    BC
        JR      Z,CLOAD2
        CALL    EVALSTR
        CALL    FREFAC          ; C = length, DE = characters
        POP     BC
        LD      C,0
        OR      A
        JR      Z,CLOAD1A
        LD      A,(DE)
        LD      C,A
CLOAD1A: PUSH   BC
CLOAD2: XOR     A
        CALL    0212H           ; motor on
CLOAD3: CALL    0296H           ; the sync byte, then D3h D3h D3h
        LD      B,3
CLOAD4: CALL    0235H
        CP      0D3H
        JR      NZ,CLOAD3
        DJNZ    CLOAD4
        CALL    0235H           ; the name
        POP     BC
        PUSH    BC
        INC     C
        DEC     C
        JR      Z,CLOAD5        ; any program will do
        CP      C
        JR      Z,CLOAD5
        LD      B,2             ; another program: read past it
CLOAD5: LD      HL,(ST_TXTTAB)
        LD      C,3             ; C counts the 00h bytes in a row
CLOAD6: CALL    0235H
        DEC     B               ; B: 0 compare, 1 store, 2 skip
        JP      M,CLOAD8
        JR      NZ,CLOAD9
        LD      (HL),A          ; store, leaving room for the stack
        PUSH    HL
        LD      DE,100
        ADD     HL,DE
        SBC     HL,SP           ; (ADD left NC)
        POP     HL
        JR      C,CLOAD9
        CALL    01F8H
        JP      OMERR
CLOAD8: CP      (HL)            ; compare
        JR      NZ,CLBAD
CLOAD9: INC     B               ; (undo the DEC)
        INC     HL
        OR      A
        JR      NZ,CLOAD5A
        DEC     C
        JR      NZ,CLOAD6
        JR      CLOADE
CLOAD5A: LD     C,3
        JR      CLOAD6
CLOADE: LD      A,B             ; three 00h: the end
        CP      2
        JR      Z,CLOAD3        ; the one passed over: look for the next
        CALL    01F8H           ; motor off
        POP     BC
        DEC     B
        JP      M,READY         ; CLOAD? and all the same
        LD      (ST_VARTAB),HL  ; CLOAD: the program ends here
        JP      CLOADR          ; core: relink, forget the variables, READY
CLBAD:  CALL    01F8H
        LD      HL,CLBADM
        CALL    PRTSTR          ; core: print the text to its 00h
        JP      READY
CLBADM: DB      "BAD",0DH,0

; ============================================================================
; Line numbers for AUTO, DELETE and EDIT: the core reads them (LINGET),
; finds them (FNDLIN) and prints them (LINPRT, NUMTXT)
; ============================================================================

; ============================================================================
; AUTO [start][,step]: number the lines typed, from start (10) in steps of
; step (10). The core's input loop (MAIN) types the number while AUTO is
; on (40E1h not 0); BREAK turns it off. No READY in between, as in Level II.
; ============================================================================
ST_AUTO_LN  EQU 40E2H           ; the next number
ST_AUTO_ST  EQU 40E4H           ; the step
ST_AUTO_ON  EQU 40E1H           ; not 0: AUTO is on

ST_AUTO: CALL   LINGET          ; start (0: none given)
        LD      A,D
        OR      E
        JR      NZ,ATO1
        LD      E,10
ATO1:   PUSH    DE
        LD      DE,10           ; the step
        LD      A,(HL)
        CP      ','
        JR      NZ,ATO2
        RST     10H
        CALL    LINGET
        LD      A,D
        OR      E
        JP      Z,FCERR         ; a step of 0
ATO2:   LD      (ST_AUTO_ST),DE
        POP     DE
        LD      (ST_AUTO_LN),DE
        LD      A,1
        LD      (ST_AUTO_ON),A
        JP      MAIN            ; core: straight to the numbered input
; ---- (the next 60 bytes go into the firmware's free bytes at 018Dh: code
; reached only by CALL and JP, so it may live anywhere) ----
MVBACK  DEFL    $               ; where the main run goes on
        ORG     018DH

; ============================================================================
; DELETE a-b, DELETE -b, DELETE a: remove those lines (?FC when there are
; none), then READY.
; ============================================================================
ST_DELETE: CALL LINGET          ; a (0 when not given)
        PUSH    DE
        CP      0CEH            ; the minus sign is stored as its token
        JR      NZ,DELET1
        RST     10H
        CALL    LINGET          ; b
        LD      A,D
        OR      E
        JR      NZ,DELET2
        DEC     DE              ; "a-": to the end
        JR      DELET2
DELET1: POP     DE              ; just a
        PUSH    DE
DELET2: CALL    FNDLIN          ; the end: after line b (HL when found)
        JR      C,DELET3
        LD      H,B
        LD      L,C
DELET3: EX      (SP),HL         ; (SP) = end, HL = a
        EX      DE,HL
        CALL    FNDLIN          ; BC = the first line to go
        LD      H,B
        LD      L,C
        POP     DE              ; DE = the first line to stay
        RST     18H
        JP      NC,FCERR        ; nothing between them
        PUSH    HL
        LD      HL,(ST_VARTAB)  ; BC = bytes from DE to the program's end
        OR      A
        SBC     HL,DE
        LD      B,H
        LD      C,L
        EX      DE,HL
        POP     DE
        LDIR                    ; move them down
        LD      (ST_VARTAB),DE
        JP      CLOADR          ; core: relink, forget the variables, READY
GAP018D DEFL    $               ; the next free byte at 018Dh
        ORG     MVBACK          ; back to the main run

; ============================================================================
; EDIT line: Level II's line editor. The line is spelled out (as LIST
; shows it) into the input buffer and edited there with these
; commands (n is an optional count, 1 when left out):
;   n SPACE   move right n characters (they are shown)
;   n <-      move left n characters
;   L         show the rest of the line, start again at its beginning
;   X         show the rest, insert at its end
;   H         delete the rest, insert there
;   I         insert before the cursor: what is typed goes in, <- deletes
;             backwards; SHIFT + up arrow ends inserting, ENTER ends editing
;   n D       delete n characters (shown between !s)
;   n C       change the next n characters to the ones typed
;   n S c     move to the n-th following c
;   n K c     delete up to the n-th following c (shown between !s)
;   A         forget the changes and start again
;   E         end, keeping the changes
;   ENTER     show the rest, end, keeping the changes
;   Q         end, forgetting the changes
; Keeping the changes enters the line as if it had been typed (the core's
; MAIN2, with B = its length), which stores it again, tokenized.
; ============================================================================
ED_BUF  EQU     41EAH           ; where the core's line input puts a line
EDWAIT  EQU     0049H           ; wait for a key: A (keeps BC, HL; DE = 4015h)

ST_EDIT: CALL   LINGET          ; the line's number (EDIT ends at READY)
        EX      DE,HL
EDSTRT: PUSH    HL              ; (SP) = the line number
        EX      DE,HL
        CALL    FNDLIN
        JP      NC,ULERR        ; no such line
        LD      H,B             ; the text
        LD      L,C
        INC     HL
        INC     HL
        INC     HL
        INC     HL
        LD      DE,ED_BUF
        CALL    DETOK
EDAGN:  POP     HL              ; show the number and a space
        PUSH    HL
        CALL    LINPRT          ; core: HL in decimal
        LD      A,' '
        CALL    USOUT
        LD      HL,ED_BUF       ; HL = the cursor
EDCMD:  LD      C,0             ; the count
EDKEY:  CALL    EDWAIT
        SUB     '0'
        CP      10
        JR      NC,EDKEY1
        LD      B,A             ; a digit: C = C x 10 + digit
        LD      A,C
        ADD     A,A
        ADD     A,A
        ADD     A,C
        ADD     A,A
        ADD     A,B
        LD      C,A
        JR      EDKEY
EDKEY1: ADD     A,'0'           ; the command
        INC     C               ; no count: 1
        DEC     C
        JR      NZ,EDKEY2
        INC     C
EDKEY2: PUSH    HL
        LD      HL,EDTAB
EDKEY3: LD      B,(HL)          ; find it in the table
        INC     HL
        INC     B
        DEC     B
        JR      Z,EDKEY4        ; not there: ignored
        CP      B
        LD      B,(HL)
        INC     HL
        JR      NZ,EDKEY3
        LD      A,B             ; the handler: EDBASE + offset
        LD      HL,EDBASE
        ADD     A,L
        LD      L,A
        JR      NC,EDKEY5
        INC     H
EDKEY5: EX      (SP),HL         ; HL = cursor; the handler's address is
        RET                     ; on the stack: go there
EDKEY4: POP     HL
        JR      EDCMD

; The commands: character, then the handler's distance from EDBASE.
EDTAB:  DB      ' ',EDRGT-EDBASE, 08H,EDLFT-EDBASE, 'L',EDL-EDBASE
        DB      'X',EDX-EDBASE, 'H',EDH-EDBASE, 'I',EDINS-EDBASE
        DB      'D',EDD-EDBASE, 'C',EDC-EDBASE, 'S',EDS-EDBASE
        DB      'K',EDK-EDBASE, 'A',EDA-EDBASE, 'E',EDE-EDBASE
        DB      0DH,EDENT-EDBASE, 'Q',EDQ-EDBASE, 0

EDBASE:
; n SPACE: right.
EDRGT:  CALL    EDSHOW
        DEC     C
        JR      NZ,EDRGT
        JR      EDCMD
; n <-: left.
EDLFT:  LD      A,L
        CP      LOW ED_BUF
        JR      Z,EDCMD         ; at the start
        DEC     HL
        LD      A,08H
        CALL    USOUT
        DEC     C
        JR      NZ,EDLFT
        JR      EDCMD
; L: the rest, then again from the start.
EDL:    CALL    EDREST
        LD      A,0DH
        CALL    USOUT
        JP      EDAGN
; X: the rest, then insert. H: delete the rest, then insert.
EDX:    CALL    EDREST
        JR      EDINS
EDH:    LD      (HL),0
; I: insert until SHIFT + up arrow (or ENTER).
EDINS:  CALL    EDWAIT
        CP      1BH             ; SHIFT + up arrow: back to commands
EDCMDZ: JP      Z,EDCMD
        CP      0DH
        JP      Z,EDENT
        CP      08H
        JR      NZ,EDINS1
        LD      A,L             ; <- : delete the character before
        CP      LOW ED_BUF
        JR      Z,EDINS
        DEC     HL
        CALL    DELCH
        LD      A,08H
        CALL    USOUT
        JR      EDINS
EDINS1: LD      B,A
        PUSH    HL              ; room for one more? (240 characters)
        LD      HL,ED_BUF+240
        CALL    EDEND
        POP     HL
        JR      Z,EDINS
        LD      A,B
        CALL    USOUT
        CALL    INSCH
        INC     HL
        JR      EDINS
; n D: delete, showing !deleted!.
EDD:    LD      A,'!'
        CALL    USOUT
EDD1:   LD      A,(HL)
        OR      A
        JR      Z,EDD2
        CALL    USOUT
        CALL    DELCH
        DEC     C
        JR      NZ,EDD1
EDD2:   LD      A,'!'
        CALL    USOUT
        JP      EDCMD
; n C: change.
EDC:    LD      A,(HL)
        OR      A
        JR      Z,EDCMDZ   ; (its JP Z,EDCMD sees the same flag)
        CALL    EDWAIT
        LD      (HL),A
        CALL    EDSHOW
        DEC     C
        JR      NZ,EDC
        JP      EDCMD
; n S c: move to the n-th c after the cursor.
EDS:    CALL    EDWAIT
        LD      B,A
EDS1:   CALL    EDSHOW          ; step over the character at the cursor
EDS2:   LD      A,(HL)
        OR      A
        JR      Z,EDCMDZ   ; (its JP Z,EDCMD sees the same flag)
        CP      B
        JR      Z,EDS3
        CALL    EDSHOW
        JR      EDS2
EDS3:   DEC     C
        JR      NZ,EDS1
        JP      EDCMD
; n K c: delete up to the n-th c after the cursor.
EDK:    CALL    EDWAIT
        LD      B,A
        LD      A,'!'
        CALL    USOUT
EDK1:   CALL    EDKDEL          ; the character at the cursor goes
EDK2:   LD      A,(HL)
        OR      A
        JR      Z,EDD2
        CP      B
        JR      Z,EDK3
        CALL    EDKDEL
        JR      EDK2
EDK3:   DEC     C
        JR      NZ,EDK1
        JR      EDD2
; A: start again with the line as it is stored.
EDA:    LD      A,0DH
        CALL    USOUT
        POP     HL
        JP      EDSTRT
; Q: back to READY, the line unchanged.
EDQ:    LD      A,0DH
        CALL    USOUT
        JP      READY
; ENTER: show the rest and keep the changes. E: keep them.
EDENT:  CALL    EDREST
EDE:    LD      A,0DH
        CALL    USOUT
        POP     HL              ; the number, then a space, before the text
        LD      A,' '
        PUSH    HL
        LD      HL,ED_BUF
        CALL    INSCH
        POP     HL
        CALL    PREPNUM
        LD      HL,ED_BUF-1     ; B = its length
        LD      B,0FFH
EDE1:   INC     HL
        INC     B
        LD      A,(HL)
        OR      A
        JR      NZ,EDE1
        JP      MAIN2           ; core: as if typed (text at 41EAh)

; The editor's helpers.
; EDSHOW: show the character at the cursor and step past it (not past the
; end).
EDSHOW: LD      A,(HL)
        OR      A
        RET     Z
        CALL    USOUT
        INC     HL
        RET
; ---- (the next 8 bytes go into the firmware's free bytes at 0A92h: code
; reached only by CALL and JP, so it may live anywhere) ----
MVBACK  DEFL    $               ; where the main run goes on
        ORG     0A92H
; EDREST: show the rest of the line; HL at its end.
EDREST: LD      A,(HL)
        OR      A
        RET     Z
        CALL    EDSHOW
        JR      EDREST
GAP0A92 DEFL    $               ; the next free byte at 0A92h
        ORG     MVBACK          ; back to the main run
; EDKDEL: show the character at the cursor and delete it.
EDKDEL: LD      A,(HL)
        OR      A
        RET     Z
        CALL    USOUT
        JR      DELCH
; EDEND: Z if the buffer's end mark lies at HL or before it. Uses A, DE.
EDEND:  LD      DE,ED_BUF-1
EDEND1: INC     DE
        LD      A,(DE)
        OR      A
        JR      NZ,EDEND1
        EX      DE,HL           ; HL = the end, DE = the limit
        RST     18H
        EX      DE,HL
        JR      C,EDEND2
        XOR     A               ; at or past the limit: Z
        RET
EDEND2: OR      1
        RET

; DELCH: delete the character at HL (the text ends with 00h). Keeps HL.
; Uses AF, DE.
DELCH:  PUSH    HL
        LD      D,H
        LD      E,L
        INC     HL
DELCH1: LD      A,(HL)
        LD      (DE),A
        INC     HL
        INC     DE
        OR      A
        JR      NZ,DELCH1
        POP     HL
        RET
; ---- (the next 11 bytes go into the firmware's free bytes at 0FF4h: code
; reached only by CALL and JP, so it may live anywhere) ----
MVBACK  DEFL    $               ; where the main run goes on
        ORG     0FF4H

; INSCH: insert A at HL, moving the rest (up to its 00h) up one. Keeps HL.
; Uses AF, C.
INSCH:  PUSH    HL
INSCH1: LD      C,(HL)
        LD      (HL),A
        INC     HL
        LD      A,C
        OR      A
        JR      NZ,INSCH1
        LD      (HL),A
        POP     HL
        RET
GAP0FF4 DEFL    $               ; the next free byte at 0FF4h
        ORG     MVBACK          ; back to the main run

; PREPNUM: put the decimal digits of HL in front of the text at ED_BUF
; (the core's NUMTXT makes them). Uses AF, BC, DE, HL.
PREPNUM: CALL   NUMTXT          ; HL = the digits, ending 00h
        LD      DE,ED_BUF
PREPN1: LD      A,(HL)
        OR      A
        RET     Z
        EX      DE,HL
        CALL    INSCH
        INC     HL
        EX      DE,HL
        INC     HL
        JR      PREPN1

; DETOK: spell out a line's text as LIST shows it. HL = the stored text
; (ending 00h), DE = where the spelled-out text goes (it ends 00h too; a
; text longer than 240 characters is cut there, for ED_BUF).
; Every byte 80h-FBh is a keyword; ELSE drops the colon stored before it
; and ' the ":REM" stored before it. Uses AF, BC, DE, HL.
DETOK:  LD      A,E             ; 240 characters at most: the program
        SUB     LOW (ED_BUF+240) ; starts 255 bytes after the buffer
        LD      A,D
        SBC     A,HIGH (ED_BUF+240)
        LD      A,0
        JR      NC,DETOK0       ; too long: it ends here
        LD      A,(HL)
        INC     HL
DETOK0: LD      (DE),A
        OR      A
        RET     Z
        CP      80H
        JR      C,DETOK4
        CP      0FCH
        JR      NC,DETOK4
        CP      95H             ; ELSE: back over its colon
        JR      Z,DETOK1
        CP      0FBH            ; ': back over ":REM"
        JR      NZ,DETOK2
        DEC     DE
        DEC     DE
        DEC     DE
DETOK1: DEC     DE
DETOK2: PUSH    HL              ; find the keyword: the (token - 7Fh)-th
        LD      HL,KEYTAB       ; byte with bit 7 set in KEYTAB
        SUB     7FH
        LD      C,A
DETOK3: BIT     7,(HL)
        INC     HL
        JR      Z,DETOK3
        DEC     C
        JR      NZ,DETOK3
        DEC     HL
        LD      A,(HL)
        AND     7FH
DETOK5: LD      (DE),A          ; copy it, up to the next keyword
        INC     DE
        INC     HL
        LD      A,(HL)
        OR      A
        JP      P,DETOK5
        POP     HL
        JR      DETOK
DETOK4: INC     DE
        JR      DETOK
