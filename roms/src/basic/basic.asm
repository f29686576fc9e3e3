; BASIC: the interpreter ("core" part; ABI.md is the contract between parts)
; ============================================================================
;
; Written from scratch for z80emu. It keeps a program the way Level II BASIC
; keeps it (TRS80-REFERENCE.md section 6.1): from TXTTAB (42E9h, with a 00h
; at 42E8h), each line is a link to the next line, the line number, the
; text with keywords as one-byte tokens (80h-FBh, section 6.3), and a 00h;
; a link of 0000h ends the program. Simple variables follow at VARTAB,
; arrays at ARYTAB, free memory from STREND up to the stack, which sits just
; below string space (40A0h). So tokenized programs from real machines load
; and run, and programs that PEEK their own text or variables still work.
;
; This file: cold start, the READY loop and direct mode, the tokenizer
; (CRUNCH), storing and deleting numbered lines, LIST, NEW, RUN, CONT,
; CLEAR, GOTO, GOSUB/RETURN, FOR/NEXT, IF/THEN/ELSE, ON GOTO/GOSUB, ON
; ERROR GOTO, RESUME, ERROR, END, STOP, REM, LET, DIM, DEFINT/SNG/DBL/STR,
; PRINT, INPUT, the expression evaluator, variables and arrays, and the
; error messages. The other parts (INCLUDEd at the end) supply the other
; statements (stmts.asm, using.asm), strings (strings.asm) and arithmetic
; (fp.asm).
;
; Conventions (ABI.md): while BASIC interprets, HL is the text pointer.
; RST 10h (CHRGET) moves it to the next character that is not a space:
; A = that character, Z at the end of a statement (00h or ':'), carry for
; a digit. RST 08h (SYNCHR) checks that the text has the character in the
; byte after the RST. RST 18h compares HL with DE (Z equal, carry HL < DE).
; RST 20h (GETYPE) tests the type of the value in the accumulator FAC.

; ---- firmware entry points used (Level II addresses) -------------------------
B_KBSCAN EQU    002BH           ; scan the keyboard once: A = key or 0
B_LINEIN EQU    0040H           ; input a line: HL = buffer, B = most
B_OUTDEV EQU    032AH           ; A to the device 409Ch selects
B_KEYSAV EQU    4099H           ; a key BASIC's BREAK check saw, for INKEY$

; ---- RAM: Level II's addresses (TRS80-REFERENCE.md 6.5, ABI.md) --------------
ERRCOD  EQU     409AH           ; ERR of the last error (1 = NF, 2 = SN ...)
BOUTSL  EQU     409CH           ; output device: 0 video, 1 printer
STRBOT  EQU     40A0H           ; lowest address of string space = stack top
CURLIN  EQU     40A2H           ; line being run, FFFFh in direct mode
TXTTAB  EQU     40A4H           ; start of the program
BPOSCL  EQU     40A6H           ; column of the cursor (the firmware keeps it)
VALTYP  EQU     40AFH           ; type of FAC: 2 int, 3 string, 4 single, 8 double
MEMTOP  EQU     40B1H           ; top of memory (MEMSIZ)
DATLIN  EQU     40DAH           ; line of the DATA statement READ is in
DIMFLG  EQU     40DCH           ; bit 0: DIM makes arrays; bit 1: an expression
                                ; reads a variable (a missing one is not made)
SAVTXT  EQU     40E6H           ; text pointer at the start of this statement
ERRLIN  EQU     40EAH           ; line of the last error
ERRTXT  EQU     40EEH           ; statement of the last error (for RESUME)
ONELIN  EQU     40F0H           ; ON ERROR GOTO line, 0 = none
ONEFLG  EQU     40F2H           ; not 0 while an error handler runs
OLDLIN  EQU     40F5H           ; CONT: the line ...
OLDTXT  EQU     40F7H           ;   ... and the text to continue at (0: can't)
VARTAB  EQU     40F9H           ; simple variables
ARYTAB  EQU     40FBH           ; arrays
STREND  EQU     40FDH           ; end of arrays = free memory
DATPTR  EQU     40FFH           ; READ's pointer
DEFTBL  EQU     4101H           ; default type of each letter A-Z
TRNFLG  EQU     411BH           ; TRON flag
DFAC    EQU     411DH           ; FAC as a double (8 bytes)
FAC     EQU     4121H           ; FAC: integer, string descriptor address, single
FACEXP  EQU     4124H           ; FAC's exponent
ARG     EQU     4127H           ; the second operand (double)
ARGLO   EQU     412BH           ; its single/integer part
LTYP    EQU     412FH           ; core: type of the left operand in ARG
INBUF   EQU     41E8H           ; the input buffer (256 bytes)
NUMBUF  EQU     42DCH           ; core: line numbers as text (6 bytes)
SAVSTK  EQU     42E2H           ; core: the stack at the start of INPUT
FORVAR  EQU     42E4H           ; core: FOR's variable while FOR runs
INPTXT  EQU     42E6H           ; core: INPUT's variable list (for ?REDO)
PROGST  EQU     42E9H           ; where programs start

; core's scratch words (see ABI.md): PTRGET's array code, FOR/NEXT, INPUT
PTWALK  EQU     40D8H           ; PTRGET: stack walk / NEXT: the FOR frame
PTCNT   EQU     40DDH           ; PTRGET: number of subscripts
PTLOOP  EQU     40DEH           ; PTRGET: loop counter
PTTEXT  EQU     40F3H           ; PTRGET/FOR/NEXT/INPUT/RUN: a text pointer

; tokens the core looks for
T_END   EQU     80H
T_FOR   EQU     81H
T_NEXT  EQU     87H
T_DATA  EQU     88H
T_GOTO  EQU     8DH
T_IF    EQU     8FH
T_GOSUB EQU     91H
T_REM   EQU     93H
T_ELSE  EQU     95H
T_ERROR EQU     9EH
T_PRINT EQU     0B2H
T_TAB   EQU     0BCH
T_TO    EQU     0BDH
T_USING EQU     0BFH
T_THEN  EQU     0CAH
T_NOT   EQU     0CBH
T_STEP  EQU     0CCH
T_PLUS  EQU     0CDH
T_MINUS EQU     0CEH
T_MUL   EQU     0CFH
T_DIV   EQU     0D0H
T_POW   EQU     0D1H
T_AND   EQU     0D2H
T_OR    EQU     0D3H
T_GT    EQU     0D4H
T_EQ    EQU     0D5H
T_LT    EQU     0D6H
T_FIRSTF EQU    0C0H            ; first function token (VARPTR)
T_APOS  EQU     0FBH            ; the ' comment

FORSIZ  EQU     30              ; bytes of a FOR frame on the stack

        ORG     1000H

; ============================================================================
; Cold start: the firmware jumps here once the machine is set up (MEMSIZ at
; 40B1h is known). 50 bytes of string space, no program, then READY.
; ============================================================================
BASIC:  LD      HL,PROGST-1     ; the 00h before the program (RUN starts there)
        LD      (HL),0
        INC     HL
        LD      (TXTTAB),HL
        LD      HL,FCERR        ; USR without an address: ?FC ERROR
        LD      (408EH),HL
        LD      HL,(MEMTOP)     ; string space: the top 50 bytes
        LD      DE,-49
        ADD     HL,DE
        LD      (STRBOT),HL
        XOR     A
        LD      (TRNFLG),A
        LD      (40E1H),A       ; AUTO off
        CALL    SCRTCH
        JP      READY0

; ============================================================================
; RST handlers (the RAM vectors 4000h, 4003h, 4009h jump here)
; ============================================================================
; CHRGET (RST 10h): HL = HL + 1, then past spaces, tabs and line feeds.
; A = the character; Z if it is 00h or ':', carry if it is a digit.
; CHRGOT: the same for the character at HL (HL not at a space).
CHRGET: INC     HL
CHRGOT: LD      A,(HL)
        CP      ':'
        RET     NC              ; ':' (Z) and everything above (NZ, NC)
        CP      ' '
        JR      Z,CHRGET
        CP      0BH
        JR      NC,CHRG1
        CP      09H
        JR      NC,CHRGET       ; 09h and 0Ah are skipped too
CHRG1:  CP      '0'
        CCF                     ; carry: '0'-'9'
        INC     A
        DEC     A               ; Z: 00h
        RET

; SYNCHR (RST 08h): the character at HL must be the byte after the RST;
; step over both, else ?SN ERROR.
SYNCHR: LD      A,(HL)
        EX      (SP),HL
        CP      (HL)
        INC     HL
        EX      (SP),HL
        JR      Z,CHRGET
        JR      SNERR

; GETYPE (RST 20h): A = VALTYP - 3; M integer, Z string, P and NZ single or
; double; carry set except for double.
GETYPE: LD      A,(VALTYP)
        CP      8
        JR      NC,GETYP1
        SUB     3
        OR      A
        SCF
        RET
GETYP1: SUB     3
        OR      A
        RET

; ============================================================================
; Errors. E = Level II's error offset (ABI.md). ERROR resets the stack,
; goes to the ON ERROR GOTO line if there is one, else prints ?SN ERROR
; (and IN line in a program) and goes back to READY.
; ============================================================================
NFERR:  LD      E,00H           ; NEXT without FOR
        DB      01H             ; LD BC,nn: skips the next LD E,n
SNERR:  LD      E,02H           ; syntax error
        DB      01H
RGERR:  LD      E,04H           ; RETURN without GOSUB
        DB      01H
FCERR:  LD      E,08H           ; illegal function call
        DB      01H
OVERR:  LD      E,0AH           ; overflow
        DB      01H
OMERR:  LD      E,0CH           ; out of memory
        DB      01H
ULERR:  LD      E,0EH           ; undefined line
        DB      01H
BSERR:  LD      E,10H           ; subscript out of range
        DB      01H
DDERR:  LD      E,12H           ; redimensioned array
        DB      01H
IDERR:  LD      E,16H           ; illegal direct
        DB      01H
TMERR:  LD      E,18H           ; type mismatch
        DB      01H
CNERR:  LD      E,20H           ; can't continue
        DB      01H
RWERR:  LD      E,24H           ; RESUME without error
        DB      01H
L3ERR:  LD      E,2CH           ; Disk BASIC only
ERROR:  LD      A,E
        RRCA
        INC     A
        LD      (ERRCOD),A      ; ERR
        LD      HL,(CURLIN)
        LD      (ERRLIN),HL
        LD      HL,(SAVTXT)
        LD      (ERRTXT),HL
        XOR     A
        LD      (BOUTSL),A      ; messages go to the screen
        CALL    TMPCLR          ; no string temporaries
        LD      HL,(ONELIN)     ; ON ERROR GOTO, outside a handler, in a
        LD      A,H             ; program: go there
        OR      L
        JR      Z,ERPRT
        LD      A,(ONEFLG)
        OR      A
        JR      NZ,ERPRT
        CALL    ISDIRC
        JR      Z,ERPRT
        LD      A,1
        LD      (ONEFLG),A
        CALL    STKINI
        LD      DE,(ONELIN)
        JP      GOTO2
ERPRT:  CALL    STKINI
        XOR     A
        LD      HL,0
        LD      (OLDTXT),HL     ; no CONT after an error
        LD      (ONEFLG),A
        CALL    FINLIN
        LD      A,'?'
        CALL    OUTCHR
        LD      A,(ERRCOD)
        CP      24
        JR      C,ERPRT1
        LD      A,20            ; codes past the table: ?UE
ERPRT1: ADD     A,A
        LD      E,A
        LD      D,0
        LD      HL,ERRTAB-2
        ADD     HL,DE
        LD      A,(HL)
        CALL    OUTCHR
        INC     HL
        LD      A,(HL)
        CALL    OUTCHR
        LD      HL,ERRMSG
        CALL    PRTSTR
        CALL    INLINE          ; " IN 20" in a program
        JP      READY

; The two letters of each error, in code order (ERR 1 = NF ...).
ERRTAB: DB      "NFSNRGODFCOVOMULBSDD/0IDTMOSLSSTCNNRRWUEMOFDL3"
ERRMSG: DB      " ERROR",0
INMSG:  DB      " IN ",0
BRKMSG: DB      "BREAK",0
READYM: DB      "READY",0DH,0

; INLINE: in a program, print " IN " and the line number; then a new line.
INLINE: CALL    ISDIRC
        JR      Z,CRLF
        LD      HL,INMSG
        CALL    PRTSTR
        LD      HL,(CURLIN)
        CALL    LINPRT
CRLF:   LD      A,0DH
        JP      OUTCHR

; ISDIRC: Z if BASIC is in direct mode (CURLIN = FFFFh). Uses A.
ISDIRC: LD      A,(CURLIN)
        PUSH    HL
        LD      HL,CURLIN+1
        AND     (HL)
        POP     HL
        INC     A
        RET

; STKINI: empty BASIC's stack (it starts just below string space) but for
; a 0000h word that ends the FOR/GOSUB frames, and return. Keeps HL, A.
STKINI: POP     DE
        LD      SP,(STRBOT)
        LD      BC,0
        PUSH    BC
        PUSH    DE
        RET

; ============================================================================
; NEW and the clearing that RUN, CLEAR and storing a line do.
; ============================================================================
; SCRTCH: no program (NEW), then CLRVRS.
SCRTCH: LD      HL,(TXTTAB)
        XOR     A
        LD      (HL),A
        INC     HL
        LD      (HL),A
        INC     HL
        LD      (VARTAB),HL
; CLRVRS: forget the variables and arrays, the strings, DEF types, ON
; ERROR, CONT; RESTORE; empty the stack (keeping the return address).
; Keeps nothing but the return.
CLRVRS: LD      HL,(VARTAB)
        LD      (ARYTAB),HL
        LD      (STREND),HL
        LD      HL,(TXTTAB)
        DEC     HL
        LD      (DATPTR),HL
        LD      HL,DEFTBL       ; every letter single precision
        LD      B,26
CLRV1:  LD      (HL),DEFTYP
        INC     HL
        DJNZ    CLRV1
        LD      HL,0
        LD      (ONELIN),HL
        LD      (OLDTXT),HL
        XOR     A
        LD      (ONEFLG),A
        CALL    STRCLR          ; strings part: empty string space
        JR      STKINI

; ============================================================================
; READY and the direct-mode loop.
; ============================================================================
; READY0: "READY" on a line of its own, then read commands and lines.
; (Level II's 1A19h jumps here; it keeps the program.)
READY0: CALL    TMPCLR
        XOR     A
        LD      (BOUTSL),A
        CALL    FINLIN
        LD      HL,READYM
        CALL    PRTSTR
MAIN:   LD      HL,-1
        LD      (CURLIN),HL
        XOR     A
        LD      (BOUTSL),A
        LD      A,(40E1H)       ; AUTO: type the next line number
        OR      A
        JR      NZ,AUTOLN
        LD      A,'>'
        CALL    OUTCHR
        LD      HL,INBUF+2
MAIN1:  LD      B,240
        CALL    B_LINEIN        ; B = count, carry if BREAK
        JR      NC,MAIN2
MAINBK: XOR     A               ; BREAK: AUTO stops
        LD      (40E1H),A
        JR      MAIN
MAIN2:  LD      HL,INBUF+2      ; the buffer ends with 0Dh: make it 00h
        LD      C,B
        LD      B,0
        ADD     HL,BC
        LD      (HL),B
        LD      HL,INBUF+1
        RST     10H             ; the first character
        JR      Z,MAIN          ; an empty line
        JR      C,EDITLN        ; a line number: store the line
        LD      DE,INBUF        ; a command: tokenize it and run it
        CALL    CRUNCH
        LD      HL,INBUF-1
        JP      EXEC

; AUTOLN: AUTO is on. Put the line number and a space in the buffer and on
; the screen, add the step, then read the rest of the line after them.
AUTOLN: LD      HL,(40E2H)
        PUSH    HL
        LD      DE,(40E4H)
        ADD     HL,DE
        LD      (40E2H),HL
        POP     HL
        CALL    NUMTXT          ; HL = the digits
        LD      DE,INBUF+2
AUTO1:  LD      A,(HL)
        OR      A
        JR      Z,AUTO2
        LD      (DE),A
        CALL    OUTCHR
        INC     HL
        INC     DE
        JR      AUTO1
AUTO2:  LD      A,' '
        LD      (DE),A
        CALL    OUTCHR
        INC     DE
        PUSH    DE
        EX      DE,HL
        LD      B,232
        CALL    B_LINEIN
        POP     HL
        JR      C,MAINBK        ; BREAK: AUTO off
        LD      A,L             ; count = typed + the number's characters
        SUB     (INBUF+2) & 0FFH
        ADD     A,B
        LD      B,A
        JR      MAIN2

; EDITLN: a numbered line was typed (HL at its first digit). Store it,
; replacing a line of the same number; a number alone deletes the line.
EDITLN: CALL    LINGET          ; DE = the number
        PUSH    DE
EDIT1:  DEC     HL              ; back to just after the last digit ...
        LD      A,(HL)
        CALL    ISSKIP
        JR      Z,EDIT1
        INC     HL
        LD      A,(HL)          ; ... and drop one space after it
        CP      ' '
        JR      NZ,EDIT2
        INC     HL
EDIT2:  LD      DE,INBUF
        CALL    CRUNCH          ; DE = after the three 00h at the end
        LD      HL,-(INBUF+3)
        ADD     HL,DE
        LD      (PTTEXT),HL     ; length of the text
        POP     DE
        PUSH    DE
        CALL    FNDLIN          ; the line already there?
        JR      NC,EDIT3
        LD      H,B             ; delete it: move what follows down
        LD      L,C
        LD      E,(HL)          ; DE = the next line
        INC     HL
        LD      D,(HL)
        LD      HL,(VARTAB)     ; BC = VARTAB - next line
        OR      A
        SBC     HL,DE
        PUSH    BC
        LD      B,H
        LD      C,L
        EX      DE,HL           ; HL = next line
        POP     DE              ; DE = this line
        LDIR                    ; (never 0 bytes: the end link follows)
        LD      (VARTAB),DE
        CALL    LINKER
EDIT3:  LD      HL,INBUF        ; nothing but spaces: it was a delete
EDIT4:  LD      A,(HL)
        INC     HL
        CALL    ISSKIP
        JR      Z,EDIT4
        OR      A
        JR      Z,EDIT6
        POP     DE              ; insert: where?
        PUSH    DE
        CALL    FNDLIN          ; BC = the first line after it
        LD      HL,(PTTEXT)
        LD      DE,5            ; link, number, text, 00h
        ADD     HL,DE
        PUSH    HL
        PUSH    BC
        EX      DE,HL           ; DE = size
        LD      HL,(VARTAB)
        PUSH    HL
        ADD     HL,DE
        CALL    CHKMEM
        LD      (VARTAB),HL     ; the program grows
        EX      DE,HL           ; DE = new end
        POP     HL              ; old end
        POP     BC              ; where
        PUSH    BC
        CALL    MOVUP           ; the lines from there on move up
        POP     DE              ; where the line goes
        POP     BC              ; its size
        POP     HL              ; its number
        PUSH    HL
        EX      DE,HL
        LD      (HL),0FFH       ; a link (anything not 0: LINKER sets it)
        INC     HL
        LD      (HL),0FFH
        INC     HL
        LD      (HL),E          ; the number
        INC     HL
        LD      (HL),D
        INC     HL
        EX      DE,HL
        LD      HL,INBUF        ; the text and its 00h
        DEC     BC
        DEC     BC
        DEC     BC
        DEC     BC
        LDIR
EDIT6:  POP     DE
        CALL    LINKER          ; no READY after a line
        CALL    CLRVRS
        JP      MAIN
; CLOADR: after CLOAD: relink, clear the variables, READY.
CLOADR: CALL    LINKER
        CALL    CLRVRS
        JP      READY

; LINKER: set every line's link to the address after its 00h, from TXTTAB
; to the 0000h link (Level II's 1AF8h). Uses AF, DE, HL.
LINKER: LD      DE,(TXTTAB)
LINK1:  LD      H,D
        LD      L,E
        LD      A,(HL)
        INC     HL
        OR      (HL)
        RET     Z
        INC     HL
        INC     HL
        INC     HL
        XOR     A
LINK2:  CP      (HL)
        INC     HL
        JR      NZ,LINK2
        EX      DE,HL
        LD      (HL),E
        INC     HL
        LD      (HL),D
        JR      LINK1

; FNDLIN: find line DE from the start. Carry and Z: found, BC = its address;
; no carry: BC = the first line with a bigger number (or the end link).
; Uses AF, HL.
FNDLIN: LD      HL,(TXTTAB)
FNDL1:  LD      B,H
        LD      C,L
        LD      A,(HL)
        INC     HL
        OR      (HL)
        DEC     HL
        RET     Z               ; the end: no carry
        INC     HL
        INC     HL
        LD      A,(HL)
        INC     HL
        LD      H,(HL)
        LD      L,A             ; HL = its number
        RST     18H             ; carry: smaller than DE
        LD      H,B
        LD      L,C
        LD      A,(HL)
        INC     HL
        LD      H,(HL)
        LD      L,A             ; HL = the next line
        CCF
        RET     Z               ; equal: carry and Z
        CCF
        RET     NC              ; bigger
        JR      FNDL1

; ISSKIP: Z if A is a space, tab or line feed (what CHRGET skips).
ISSKIP: CP      ' '
        RET     Z
        CP      09H
        RET     Z
        CP      0AH
        RET

; CHKMEM: ?OM ERROR unless HL is at least 100 bytes below the stack.
; Keeps every register but F.
CHKMEM: PUSH    DE
        PUSH    HL
        LD      DE,100
        ADD     HL,DE
        JR      C,CHKM1
        EX      DE,HL
        LD      HL,0
        ADD     HL,SP
        RST     18H             ; carry: SP below HL + 100
CHKM1:  POP     HL
        POP     DE
        JP      C,OMERR
        RET

; ============================================================================
; CRUNCH: tokenize a typed line as Level II stores it (TRS80-REFERENCE 6.1).
; In: HL = the text (ends with 00h), DE = where the tokens go (at most 2
; bytes ahead of HL: the apostrophe grows by 2). Out: the tokens, then
; three 00h; DE = after them. Keywords: the first in token order that the
; text spells (KEYTAB); spaces are kept; strings, REM and DATA (to the next
; colon) are copied as typed; lowercase becomes uppercase elsewhere; ?
; is PRINT; ELSE is stored 3Ah 95h and ' as 3Ah 93h FBh; digits, : and ;
; are never keywords. C bit 0 = inside DATA.
; ============================================================================
CRUNCH: LD      C,0
CRN1:   LD      A,(HL)
        OR      A
        JP      Z,CRNEND
        CP      ' '
        JR      Z,CRCOPY
        CP      '"'
        JR      Z,CRSTR
        BIT     0,C
        JR      NZ,CRDATA
        CP      '?'
        JR      NZ,CRN2
        LD      A,T_PRINT
        JR      CRCOPY
CRN2:   CP      '0'
        JR      C,CRKEY
        CP      3CH             ; digits, ':' and ';'
        JR      C,CRCOPY
        CP      'a'
        JR      C,CRKEY
        CP      'z'+1
        JR      NC,CRKEY
        AND     5FH             ; uppercase, in the text too
        LD      (HL),A
CRKEY:  PUSH    DE              ; look it up in the keyword list
        PUSH    BC
        LD      DE,KEYTAB
        LD      B,80H           ; B = the token of the keyword at DE
CRK1:   PUSH    HL
        LD      A,(DE)
        AND     7FH
        CP      (HL)
        JR      NZ,CRK5
CRK2:   INC     DE              ; the first letter matched: the others
        LD      A,(DE)
        OR      A
        JP      M,CRMATCH       ; next keyword's first byte: all matched
        INC     HL
        LD      A,B
        CP      T_GOTO
        JR      NZ,CRK4
CRK3:   LD      A,(HL)          ; GOTO: spaces between its letters
        CALL    ISSKIP
        JR      NZ,CRK4
        INC     HL
        JR      CRK3
CRK4:   LD      A,(HL)
        CP      'a'             ; later letters are compared in uppercase
        JR      C,CRK4A
        AND     5FH
CRK4A:  EX      DE,HL
        CP      (HL)
        EX      DE,HL
        JR      Z,CRK2
CRK5:   INC     DE              ; no: to the next keyword
        LD      A,(DE)
        OR      A
        JP      P,CRK5
        POP     HL
        INC     B
        CP      80H             ; the end of the list
        JR      NZ,CRK1
        POP     BC              ; not a keyword: the character itself
        POP     DE
        LD      A,(HL)
CRCOPY: LD      (DE),A
        INC     DE
        INC     HL
        JR      CRN1
CRDATA: CP      ':'             ; DATA: copied up to a colon
        JR      NZ,CRCOPY
        RES     0,C
        JR      CRCOPY
CRSTR:  LD      (DE),A          ; a string: up to its closing quote
        INC     DE
        INC     HL
        LD      A,(HL)
        OR      A
        JR      Z,CRN1
        CP      '"'
        JR      NZ,CRSTR
        JR      CRCOPY
CRMATCH: POP    AF              ; (the saved text pointer)
        INC     HL              ; HL after the keyword
        LD      A,B
        POP     BC
        POP     DE
        CP      T_ELSE
        JR      NZ,CRM1
        LD      A,':'           ; ELSE: 3Ah 95h
        LD      (DE),A
        INC     DE
        LD      A,T_ELSE
        JR      CRM3
CRM1:   CP      T_APOS          ; ': 3Ah 93h FBh, then the rest as typed
        JR      NZ,CRM2
        LD      A,':'
        LD      (DE),A
        INC     DE
        LD      A,T_REM
        LD      (DE),A
        INC     DE
        LD      A,T_APOS
        JR      CRREM
CRM2:   CP      T_REM
        JR      Z,CRREM
        CP      T_DATA
        JR      NZ,CRM3
        SET     0,C
CRM3:   LD      (DE),A
        INC     DE
        JP      CRN1
CRREM:  LD      (DE),A          ; REM: the rest of the line as typed
        INC     DE
        LD      A,(HL)
        INC     HL
        OR      A
        JR      NZ,CRREM
        DEC     HL
CRNEND: XOR     A               ; three 00h: end of line, end link
        LD      (DE),A
        INC     DE
        LD      (DE),A
        INC     DE
        LD      (DE),A
        INC     DE
        RET

; ============================================================================
; Running statements
; ============================================================================
; NEWSTT: the statement at HL ended; HL at its ':' or 00h. Check BREAK (and
; keep any other key for INKEY$), then run the next statement or line.
NEWSTT: CALL    B_KBSCAN        ; keeps HL
        OR      A
        JR      Z,NEWS1
        CP      01H
        JR      Z,BRKIN
        LD      (B_KEYSAV),A
NEWS1:  LD      A,(HL)
        CP      ':'
        JR      Z,EXEC
        OR      A
        JP      NZ,SNERR
        INC     HL              ; the next line's link: 0000h ends
        LD      A,(HL)
        INC     HL
        OR      (HL)
        JR      Z,ENDPRG
        INC     HL
        LD      E,(HL)
        INC     HL
        LD      D,(HL)          ; DE = its number, HL before its text
; GOLINE: start line DE, HL at the byte before its text (TRON prints <n>).
GOLINE: LD      (CURLIN),DE
        LD      A,(TRNFLG)
        OR      A
        JR      Z,EXEC
        LD      A,'<'
        CALL    OUTCHR
        PUSH    HL
        EX      DE,HL
        CALL    LINPRT
        POP     HL
        LD      A,'>'
        CALL    OUTCHR
; EXEC: run the statement after HL; it returns to NEWSTT.
EXEC:   LD      (SAVTXT),HL
        RST     10H
        LD      DE,NEWSTT
        PUSH    DE
        RET     Z               ; an empty statement
; DISPAT: run the statement at HL (A = its first character).
DISPAT: SUB     80H
        JP      C,LET           ; not a keyword: LET
        CP      0BCH-80H
        JP      NC,SNERR
        ADD     A,A
        LD      C,A
        LD      B,0
        PUSH    HL
        LD      HL,STTAB
        ADD     HL,BC
        LD      A,(HL)
        INC     HL
        LD      H,(HL)
        LD      L,A
        EX      (SP),HL         ; the handler's address on the stack
        RST     10H             ; past the token
        RET

ENDPRG: DEC     HL              ; the program's end: as END, HL at the 00h
        DEC     HL
        XOR     A
        JR      STOP1

; END: stop, CONT can go on after it. STOP: the same with "BREAK IN n".
ST_END: RET     NZ
        POP     BC
        XOR     A
        JR      STOP1
ST_STOP: RET    NZ
        POP     BC
BRKIN:  LD      A,1             ; BREAK key: as STOP
STOP1:  PUSH    AF
        CALL    ISDIRC
        JR      Z,STOP2
        LD      (OLDTXT),HL
        LD      HL,(CURLIN)
        LD      (OLDLIN),HL
STOP2:  POP     AF
        OR      A
        JP      Z,READY
        CALL    FINLIN
        LD      HL,BRKMSG
        CALL    PRTSTR
        CALL    INLINE
        JP      READY

; CONT: go on where STOP, END or BREAK stopped.
ST_CONT: RET    NZ
        LD      HL,(OLDTXT)
        LD      A,H
        OR      L
        JP      Z,CNERR
        LD      DE,(OLDLIN)
        LD      (CURLIN),DE
        RET                     ; to NEWSTT with HL there

; NEW
ST_NEW: RET     NZ
        CALL    SCRTCH
        JP      READY

; RUN [line]: clear everything and start at the first line (or that line).
ST_RUN: LD      (PTTEXT),HL
        CALL    CLRVRS
        LD      HL,(PTTEXT)
        CALL    CHRGOT
        JR      C,RUN1
        LD      HL,(TXTTAB)
        DEC     HL
        JP      NEWSTT
RUN1:   CALL    LINGET
        JR      GOTO2

; CLEAR [n]: clear the variables; with n, string space becomes n bytes.
ST_CLEAR: JR    Z,CLR1
        CALL    GETINT
        BIT     7,D
        JP      NZ,FCERR
        PUSH    HL
        CALL    STRSET          ; strings part: 40A0h = MEMSIZ - n + 1
        POP     HL
CLR1:   LD      (PTTEXT),HL
        CALL    CLRVRS
        LD      HL,(PTTEXT)
        JP      NEWSTT

; GOTO line
ST_GOTO: CALL   LINGET
GOTO1:  POP     BC              ; (the return to NEWSTT: GOLINE runs it)
; GOTO2: go to line DE (?UL ERROR if there is none).
GOTO2:  CALL    FNDLIN
        JP      NC,ULERR
        LD      H,B             ; NEWSTT from the 00h before the line (it
        LD      L,C             ; checks BREAK, so GOTO loops can be stopped)
        DEC     HL
        JP      NEWSTT

; GOSUB line: a frame (91h marker, line, text) on the stack, then GOTO.
ST_GOSUB: CALL  LINGET
GOSUB2: POP     BC
        CALL    STKCHK
        PUSH    HL              ; where RETURN goes on
        LD      BC,(CURLIN)
        PUSH    BC
        LD      BC,T_GOSUB
        PUSH    BC
        JR      GOTO2

; RETURN: back after the last GOSUB (dropping FOR loops started since).
ST_RETURN: RET  NZ
        POP     BC
        LD      HL,0
        ADD     HL,SP
        LD      DE,-1           ; no FOR matches: stop at a non-FOR frame
        CALL    FNDFOR
        LD      A,(HL)
        CP      T_GOSUB
        JP      NZ,RGERR
        LD      SP,HL
        POP     BC
        POP     DE
        LD      (CURLIN),DE
        POP     HL
        JP      NEWSTT

; FNDFOR: look through the FOR frames from HL for the one of variable DE
; (DE = 0: the first one). Z: found, HL = the frame. NZ: HL at the first
; frame that is not a FOR (a GOSUB or the 0000h end). Uses A, BC.
FNDFOR: LD      A,(HL)
        CP      T_FOR
        RET     NZ
        INC     HL
        INC     HL
        LD      C,(HL)
        INC     HL
        LD      B,(HL)
        DEC     HL
        DEC     HL
        DEC     HL
        LD      A,D
        OR      E
        RET     Z
        LD      A,C
        CP      E
        JR      NZ,FNDF1
        LD      A,B
        CP      D
        RET     Z
FNDF1:  LD      BC,FORSIZ
        ADD     HL,BC
        JR      FNDFOR

; REM and ELSE (met when the THEN part has run): skip to the end of the line.
ST_ELSE:
ST_REM: LD      A,(HL)
        OR      A
        RET     Z
        INC     HL
        JR      ST_REM

; SKPSTM: HL to the end of the statement (':' or 00h, not inside quotes).
SKPSTM: LD      A,(HL)
        OR      A
        RET     Z
        CP      ':'
        RET     Z
        INC     HL
        CP      '"'
        JR      NZ,SKPSTM
SKPS1:  LD      A,(HL)
        OR      A
        RET     Z
        INC     HL
        CP      '"'
        JR      NZ,SKPS1
        JR      SKPSTM

; IF expr [,] THEN statements|line [ELSE statements|line], IF expr GOTO line
ST_IF:  CALL    EVALNUM
        CP      T_GOTO
        JR      Z,IF2
        RST     08H
        DB      T_THEN
        DEC     HL
IF2:    PUSH    HL
        CALL    FACSGN
        POP     HL
        OR      A
        JR      Z,IFELSE
IFTHEN: RST     10H             ; true: the statement, or a line number
        RET     Z
        JP      C,ST_GOTO
        JP      DISPAT
IFELSE: LD      B,0             ; false: find the matching ELSE (counting IFs)
IFE1:   INC     HL
IFE2:   LD      A,(HL)
        OR      A
        RET     Z               ; none: the line ends here
        CP      '"'
        JR      Z,IFE4
        CP      T_IF
        JR      NZ,IFE3
        INC     B
        JR      IFE1
IFE3:   CP      T_ELSE
        JR      NZ,IFE1
        DEC     B
        JP      P,IFE1
        JR      IFTHEN
IFE4:   INC     HL              ; a string
        LD      A,(HL)
        OR      A
        RET     Z
        CP      '"'
        JR      NZ,IFE4
        JR      IFE1

; ON n GOTO/GOSUB line,line,... (n = 0 or past the list: the next statement)
; ON ERROR GOTO line (0: no handler; inside a handler: the error stands)
ST_ON:  CP      T_ERROR
        JR      Z,ONERR
        CALL    GETBYT
        LD      A,(HL)
        CP      T_GOTO
        JR      Z,ON1
        CP      T_GOSUB
        JP      NZ,SNERR
ON1:    LD      B,E
        LD      C,A
ON2:    RST     10H
        PUSH    BC
        CALL    LINGET
        POP     BC
        DEC     B
        JR      Z,ON3
        CP      ','
        JR      Z,ON2
        RET
ON3:    CALL    SKPSTM
        LD      A,C
        CP      T_GOSUB
        JP      Z,GOSUB2
        JP      GOTO1
ONERR:  RST     10H
        RST     08H
        DB      T_GOTO
        CALL    LINGET
        LD      (ONELIN),DE
        LD      A,D
        OR      E
        RET     NZ
        LD      A,(ONEFLG)
        OR      A
        RET     Z
        LD      A,(ERRCOD)      ; ON ERROR GOTO 0 in a handler: the error
        JR      ERROR1

; RESUME [0] | RESUME NEXT | RESUME line
ST_RESUME: LD   C,A
        LD      A,(ONEFLG)
        OR      A
        JP      Z,RWERR
        XOR     A
        LD      (ONEFLG),A
        LD      DE,(ERRLIN)
        LD      (CURLIN),DE
        LD      A,C
        CP      T_NEXT
        JR      Z,RES2
        CALL    LINGET
        LD      A,D
        OR      E
        JP      NZ,GOTO1
        POP     BC              ; RESUME: the statement again
        LD      HL,(ERRTXT)
        JP      EXEC
RES2:   LD      HL,(ERRTXT)     ; RESUME NEXT: the statement after it
        RST     10H
        JP      SKPSTM

; ERROR n: make error n happen.
ST_ERROR: CALL  GETBYT
        OR      A
        JP      Z,FCERR
ERROR1: DEC     A
        ADD     A,A
        LD      E,A
        JP      ERROR

; FOR var = start TO limit [STEP step]. The frame (FORSIZ bytes, from the
; top of the stack): 81h + var type, var address, line, text after the
; FOR statement, step sign (FFh, 0, 1 in the high byte), step (10 bytes
; as PUSHF leaves them), limit (10 bytes). A FOR on a variable with a loop
; running drops that loop (and those inside it) first.
ST_FOR: POP     BC
        CALL    STKCHK
        CALL    PTRGET
        RST     20H
        JP      Z,TMERR
        LD      (FORVAR),DE
        PUSH    HL
        LD      HL,2
        ADD     HL,SP
        CALL    FNDFOR
        POP     BC              ; BC = text
        JR      NZ,FOR1
        LD      DE,FORSIZ
        ADD     HL,DE
        LD      SP,HL
FOR1:   LD      H,B
        LD      L,C
        RST     08H
        DB      T_EQ
        CALL    EVALNUM
        LD      DE,(FORVAR)
        CALL    ASSIGV          ; var = start
        RST     08H
        DB      T_TO
        CALL    EVALNUM
        CALL    FORCNV
        CALL    PUSHF           ; the limit
        CALL    CHRGOT
        CP      T_STEP
        JR      NZ,FOR2
        RST     10H
        CALL    EVALNUM
        JR      FOR3
FOR2:   PUSH    HL
        LD      HL,1
        CALL    SETINT
        POP     HL
FOR3:   CALL    FORCNV
        CALL    PUSHF           ; the step
        PUSH    HL
        CALL    FACSGN
        POP     HL
        PUSH    AF              ; its sign
        CALL    CHRGOT
        JP      NZ,SNERR
        PUSH    HL              ; text
        LD      DE,(CURLIN)
        PUSH    DE
        LD      DE,(FORVAR)
        PUSH    DE              ; var
        DEC     DE
        DEC     DE
        DEC     DE
        LD      A,(DE)
        LD      B,A
        LD      C,T_FOR
        PUSH    BC
        JP      NEWSTT

; FORCNV: FAC to the type of the FOR variable (FORVAR). Keeps HL.
FORCNV: PUSH    HL
        LD      HL,(FORVAR)
        DEC     HL
        DEC     HL
        DEC     HL
        LD      A,(HL)
        CALL    FRCTYP
        POP     HL
        RET

; NEXT [var[,var...]]: add the step; loop unless past the limit.
ST_NEXT: POP    BC
NEXT1:  LD      DE,0
        JR      Z,NEXT2
        CALL    PTRGET
NEXT2:  LD      (PTTEXT),HL
        LD      HL,0
        ADD     HL,SP
        CALL    FNDFOR
        JP      NZ,NFERR
        LD      SP,HL           ; drop the loops inside this one
        LD      (PTWALK),HL
        INC     HL
        INC     HL
        LD      E,(HL)
        INC     HL
        LD      D,(HL)
        PUSH    DE              ; the variable
        LD      DE,10           ; FAC = the step (VALTYP: the loop's type)
        CALL    FRMBLK
        CALL    VALLEN          ; ARG = the variable, as POPL would leave it
        LD      HL,10
        ADD     HL,DE
        EX      DE,HL
        POP     HL
        PUSH    HL
        LDIR
        LD      A,(VALTYP)
        LD      (LTYP),A
        LD      A,T_PLUS
        CALL    DOOP
        POP     DE
        CALL    ASSIGV          ; the variable = the sum
        CALL    FACARG          ; compare it with the limit
        LD      A,(VALTYP)
        LD      (LTYP),A
        LD      DE,20
        CALL    FRMBLK
        LD      HL,(PTWALK)
        LD      DE,9
        ADD     HL,DE
        LD      A,(HL)          ; the step's sign: past = > (or < going down)
        RLA
        LD      A,1
        JR      NC,NEXT3
        LD      A,4
NEXT3:  CALL    DOOP
        LD      A,(FAC)
        OR      A
        LD      HL,(PTWALK)
        JR      NZ,NEXT4
        LD      DE,4            ; loop: the line and text after the FOR
        ADD     HL,DE
        LD      E,(HL)
        INC     HL
        LD      D,(HL)
        INC     HL
        LD      (CURLIN),DE
        LD      A,(HL)
        INC     HL
        LD      H,(HL)
        LD      L,A
        JP      NEWSTT
NEXT4:  LD      DE,FORSIZ       ; done: drop the frame
        ADD     HL,DE
        LD      SP,HL
        LD      HL,(PTTEXT)
        CALL    CHRGOT
        CP      ','
        JP      NZ,NEWSTT
        RST     10H
        JP      NEXT1

; FRMBLK: FAC = the value kept DE bytes into the FOR frame (PTWALK).
FRMBLK: LD      HL,(PTWALK)
        ADD     HL,DE
; LDBLK: FAC, VALTYP = the value pushed by PUSHF at HL.
LDBLK:  INC     HL
        LD      A,(HL)
        LD      (VALTYP),A
        INC     HL
        LD      DE,DFAC
        LD      BC,8
        LDIR
        RET

; ============================================================================
; LET, variables, arrays, DIM, DEFtype
; ============================================================================
ST_LET:
LET:    CALL    PTRGET
        RST     08H
        DB      T_EQ
        LD      A,(VALTYP)
        PUSH    AF
        PUSH    DE
        CALL    EVAL
        POP     DE
        POP     AF
; ASSIGN: store FAC in the variable at DE of type A (converting numbers,
; ?TM ERROR between strings and numbers). Keeps HL.
ASSIGN: PUSH    HL
        LD      B,A
        RST     20H
        LD      A,B
        JR      NZ,ASG1
        CP      3               ; a string
        JP      NZ,TMERR
        CALL    STRASG
        POP     HL
        RET
ASG1:   CP      3
        JP      Z,TMERR
        PUSH    DE
        CALL    FRCTYP
        POP     DE
        CALL    STORV
        POP     HL
        RET

; ASSIGV: ASSIGN to the simple variable at DE, its type from its entry.
ASSIGV: PUSH    HL
        LD      H,D
        LD      L,E
        DEC     HL
        DEC     HL
        DEC     HL
        LD      A,(HL)
        POP     HL
        JR      ASSIGN

; STORV: copy the FAC's value (VALTYP bytes) to DE. LOADV: FAC = the value
; at HL, of type VALTYP (a string: FAC = HL, the descriptor's address).
STORV:  PUSH    DE
        CALL    VALLEN
        EX      DE,HL
        POP     DE
        LDIR
        RET
LOADV:  RST     20H
        JR      NZ,LOADV1
        LD      (FAC),HL
        RET
LOADV1: CALL    VALLEN
        LDIR
        RET
; VALLEN: DE = where the FAC's value starts (DFAC for a double, else FAC),
; BC = its length (VALTYP). Uses A.
VALLEN: LD      A,(VALTYP)
        LD      C,A
        LD      B,0
        LD      DE,FAC
        CP      8
        RET     NZ
        LD      DE,DFAC
        RET

; DEFSTR/DEFINT/DEFSNG/DEFDBL letter[-letter][,...]
ST_DEFSTR: LD   E,3
        DB      01H             ; LD BC,nn: skips the next LD E,n
ST_DEFINT: LD   E,2
        DB      01H
ST_DEFSNG: LD   E,4
        DB      01H
ST_DEFDBL: LD   E,8
DEF1:   CALL    ISLET
SNC1:   JP      C,SNERR
        LD      C,A
        LD      B,A
        RST     10H
        CP      T_MINUS
        JR      NZ,DEF2
        RST     10H
        CALL    ISLET
        JR      C,SNC1     ; (its JP C,SNERR sees the same flag)
        LD      B,A
        RST     10H
DEF2:   PUSH    HL
        LD      A,B
        SUB     C
        JR      C,SNC1     ; (its JP C,SNERR sees the same flag)
        INC     A
        LD      B,A
        LD      A,C
        SUB     'A'
        LD      HL,DEFTBL
        ADD     A,L
        LD      L,A
DEF3:   LD      (HL),E
        INC     HL
        DJNZ    DEF3
        POP     HL
        CALL    CHRGOT
        RET     Z
        RST     08H
        DB      ','
        JR      DEF1

; DIM name(sizes)[,...]
ST_DIM: LD      A,0FFH
        LD      (DIMFLG),A
        CALL    PTRGT1
        CALL    CHRGOT
        RET     Z
        RST     08H
        DB      ','
        JR      ST_DIM

; PTRGET: find (or make) the variable named at HL. Out: DE = the address of
; its value, VALTYP = its type, HL after the name (and subscripts), A and
; flags as CHRGOT. A name is a letter, then letters and digits of which only
; the first counts, then an optional type mark % $ ! # (else the letter's
; DEFtype). A simple variable is: type, second character, first, value.
; A simple variable an expression reads but nobody has set is not made
; (PTRGTX, as Level II: making it would move the arrays under a string
; descriptor in use): its value is zero, from the zeroed FAC.
PTRGTX: LD      A,2
        DB      0FEH            ; CP n: skips the XOR A
PTRGET: XOR     A
        LD      (DIMFLG),A
PTRGT1: LD      A,(HL)
        CALL    ISLET
        JR      C,SNC1     ; (its JP C,SNERR sees the same flag)
        LD      C,A             ; C = first character
        LD      B,0             ; B = second
        RST     10H
        JR      C,PTR1
        CALL    ISLET
        JR      C,PTR3
PTR1:   LD      B,A
PTR2:   RST     10H             ; the rest of the name is ignored
        JR      C,PTR2
        CALL    ISLET
        JR      NC,PTR2
PTR3:   LD      D,2
        CP      '%'
        JR      Z,PTR4
        LD      D,3
        CP      '$'
        JR      Z,PTR4
        LD      D,4
        CP      '!'
        JR      Z,PTR4
        LD      D,8
        CP      '#'
        JR      Z,PTR4
        PUSH    HL              ; the letter's default type
        LD      A,C
        SUB     'A'
        LD      HL,DEFTBL
        ADD     A,L
        LD      L,A
        LD      D,(HL)
        POP     HL
        JR      PTR5
PTR4:   RST     10H
PTR5:   LD      A,D
        LD      (VALTYP),A
        LD      A,(HL)
        CP      '('
        JP      Z,ARRAY
        PUSH    HL              ; a simple variable: look for it
        LD      HL,(VARTAB)
PTR6:   LD      DE,(ARYTAB)
        RST     18H
        JR      NC,PTRNEW
        LD      A,(VALTYP)
        CP      (HL)
        INC     HL
        JR      NZ,PTR7
        LD      A,B
        CP      (HL)
        JR      NZ,PTR7
        INC     HL
        LD      A,C
        CP      (HL)
        JR      Z,PTRFND
        DEC     HL
PTR7:   DEC     HL              ; HL at its type: skip 3 + type bytes
        LD      A,(HL)
        ADD     A,3
        LD      E,A
        LD      D,0
        ADD     HL,DE
        JR      PTR6
PTRNEW: LD      A,(DIMFLG)
        AND     2
        JR      Z,PTRMK
        LD      HL,FACEXP       ; an expression: zero, from the FAC
        LD      B,8
PTRZ1:  LD      (HL),0
        DEC     HL
        DJNZ    PTRZ1
        JR      PTRFND          ; DE = DFAC
PTRMK:  PUSH    BC              ; not there: make it at ARYTAB, moving the
        LD      A,(VALTYP)      ; arrays up
        ADD     A,3
        LD      C,A
        LD      B,0
        PUSH    BC
        CALL    OPENUP
        LD      HL,(ARYTAB)
        POP     BC
        PUSH    HL
        ADD     HL,BC
        LD      (ARYTAB),HL
        POP     HL
        POP     BC
        LD      A,(VALTYP)
        LD      (HL),A
        INC     HL
        LD      (HL),B
        INC     HL
        LD      (HL),C
PTRFND: INC     HL
        EX      DE,HL
        POP     HL
        JP      CHRGOT

; OPENUP: make room for BC bytes at ARYTAB (before the arrays): move
; ARYTAB..STREND up, STREND grows, the room is zeroed. ?OM ERROR if it
; does not fit. Out: HL = STREND. Uses everything.
OPENUP: LD      HL,(STREND)
        PUSH    HL
        ADD     HL,BC
        JP      C,OMERR
        CALL    CHKMEM
        LD      (STREND),HL
        EX      DE,HL           ; DE = new end
        POP     HL              ; old end
        PUSH    BC
        LD      BC,(ARYTAB)
        CALL    MOVUP           ; the arrays move up
        POP     BC              ; zero the room
        LD      HL,(ARYTAB)
OPEN2:  LD      (HL),0
        INC     HL
        DEC     BC
        LD      A,B
        OR      C
        JR      NZ,OPEN2
        RET

; MOVUP: move the bytes at BC..HL-1 up in memory so that they end just
; before DE (DE > HL): EDIT's lines and OPENUP's arrays. LDDR copies from
; the top down, so no byte is overwritten before it is copied. Uses AF,
; BC, DE, HL.
MOVUP:  PUSH    HL
        OR      A
        SBC     HL,BC           ; how many
        LD      B,H
        LD      C,L
        POP     HL
        DEC     HL              ; the last byte, and where it goes
        DEC     DE
        LD      A,B
        OR      C
        RET     Z               ; nothing to move (LDDR would move 64K)
        LDDR
        RET

; ARRAY: name(subscripts). An array is: type, second character, first,
; size of the rest (2 bytes), number of dimensions, the dimensions (each
; bound + 1, the last subscript's first), then the elements, the first
; subscript varying fastest. A new array gets bounds of 10 (or DIM's).
ARRAY:  PUSH    BC              ; the name
        LD      A,(DIMFLG)
        LD      D,A
        LD      A,(VALTYP)
        LD      E,A
        PUSH    DE              ; DIM flag, type
        XOR     A
        LD      (DIMFLG),A
        LD      B,A
ARR1:   RST     10H             ; each subscript on the stack
        PUSH    BC
        CALL    GETINT
        POP     BC
        BIT     7,D
        JP      NZ,FCERR
        INC     B
        PUSH    DE
        CP      ','
        JR      Z,ARR1
        RST     08H
        DB      ')'
        LD      (PTTEXT),HL
        LD      A,B
        LD      (PTCNT),A
        LD      L,B
        LD      H,0
        ADD     HL,HL
        ADD     HL,SP           ; HL at the DIM flag and type
        LD      A,(HL)
        LD      (VALTYP),A
        INC     HL
        LD      A,(HL)
        LD      (DIMFLG),A
        INC     HL
        LD      C,(HL)
        INC     HL
        LD      B,(HL)
        LD      HL,(ARYTAB)     ; look for it
ARR2:   LD      DE,(STREND)
        RST     18H
        JR      NC,ARRNEW
        LD      A,(VALTYP)
        CP      (HL)
        INC     HL
        JR      NZ,ARR3
        LD      A,B
        CP      (HL)
        JR      NZ,ARR3
        INC     HL
        LD      A,C
        CP      (HL)
        DEC     HL
        JR      Z,ARRFND
ARR3:   INC     HL              ; to its size, then past it
        INC     HL
        LD      E,(HL)
        INC     HL
        LD      D,(HL)
        INC     HL
        ADD     HL,DE
        JR      ARR2
ARRFND: LD      A,(DIMFLG)      ; HL at its second character
        RRCA
        JP      C,DDERR
        INC     HL
        INC     HL
        INC     HL
        INC     HL
ARRFN1: LD      A,(PTCNT)
        CP      (HL)
        JP      NZ,BSERR
        INC     HL
        JP      ARRELM
ARRNEW: LD      A,(VALTYP)      ; HL = STREND: the array goes here
        LD      (HL),A          ; type, name
        INC     HL
        LD      (HL),B
        INC     HL
        LD      (HL),C
        INC     HL
        PUSH    HL              ; the size field, filled in below
        INC     HL
        INC     HL
        LD      A,(PTCNT)
        LD      (HL),A          ; the number of dimensions
        INC     HL
        EX      DE,HL           ; DE = where the dimensions go
        LD      HL,1
        LD      (PTWALK),HL     ; the element count: x each dimension
        LD      HL,2
        ADD     HL,SP           ; HL at the last subscript
ARRN1:  PUSH    AF
        LD      C,(HL)          ; BC = subscript + 1 (DIM) or 11
        INC     HL
        LD      B,(HL)
        INC     HL
        INC     BC
        LD      A,(DIMFLG)
        RRCA
        JR      C,ARRN2
        LD      BC,11
ARRN2:  EX      DE,HL
        LD      (HL),C
        INC     HL
        LD      (HL),B
        INC     HL
        EX      DE,HL
        PUSH    HL
        PUSH    DE
        LD      DE,(PTWALK)
        CALL    UMUL            ; HL = product so far x this dimension
        LD      (PTWALK),HL
        POP     DE
        POP     HL
        POP     AF
        DEC     A
        JR      NZ,ARRN1
        LD      HL,(PTWALK)     ; elements x their size
        LD      A,(VALTYP)
        LD      C,A
        LD      B,0
        PUSH    DE
        EX      DE,HL
        CALL    UMUL
        POP     DE              ; DE = the first element
        ADD     HL,DE           ; HL = the end
        JP      C,OMERR
        CALL    CHKMEM
        LD      (STREND),HL
ARRN3:  RST     18H             ; zero the elements
        JR      Z,ARRN4
        XOR     A
        LD      (DE),A
        INC     DE
        JR      ARRN3
ARRN4:  POP     DE              ; size field = end - (its address + 2)
        OR      A
        SBC     HL,DE
        DEC     HL
        DEC     HL
        EX      DE,HL
        LD      (HL),E
        INC     HL
        LD      (HL),D
        INC     HL              ; HL at the dimension count
        LD      A,(DIMFLG)      ; DIM: done, drop the subscripts etc.
        RRCA
        JR      NC,ARRFN1
        LD      A,(PTCNT)
        ADD     A,A
        ADD     A,4
        LD      L,A
        LD      H,0
        ADD     HL,SP
        LD      SP,HL
        LD      HL,(PTTEXT)
        JP      CHRGOT
; ARRELM: HL at the first dimension; the subscripts on the stack (the
; last on top). DE = the element's address.
ARRELM: LD      DE,0
        LD      A,(PTCNT)
        LD      (PTLOOP),A
ARRE1:  LD      C,(HL)          ; BC = this dimension
        INC     HL
        LD      B,(HL)
        INC     HL
        LD      (PTWALK),HL
        POP     HL              ; its subscript
        PUSH    DE
        LD      D,B
        LD      E,C
        RST     18H
        JP      NC,BSERR        ; subscript >= dimension
        EX      (SP),HL         ; HL = offset so far, (SP) = subscript
        EX      DE,HL           ; DE = offset
        CALL    UMUL            ; HL = offset x dimension
        EX      DE,HL
        POP     HL
        ADD     HL,DE
        EX      DE,HL           ; DE = offset x dimension + subscript
        LD      HL,(PTWALK)
        LD      A,(PTLOOP)
        DEC     A
        LD      (PTLOOP),A
        JR      NZ,ARRE1
        PUSH    HL              ; HL = the first element
        LD      A,(VALTYP)
        LD      C,A
        LD      B,0
        CALL    UMUL            ; HL = offset x element size
        POP     DE
        ADD     HL,DE
        EX      DE,HL
        POP     BC              ; drop the DIM flag/type and the name
        POP     BC
        LD      HL,(PTTEXT)
        JP      CHRGOT

; STKCHK: ?OM ERROR unless the stack has 100 bytes above STREND. Keeps all.
STKCHK: PUSH    HL
        LD      HL,(STREND)
        CALL    CHKMEM
        POP     HL
        RET

; ISLET: carry if A is not a letter A-Z.
ISLET:  CP      'A'
        RET     C
        CP      'Z'+1
        CCF
        RET

; UMUL: HL = DE x BC (unsigned), ?OM ERROR past 65535. Uses A.
UMUL:   LD      HL,0
        LD      A,16
UMUL1:  ADD     HL,HL
OMC1:   JP      C,OMERR
        EX      DE,HL
        ADD     HL,HL
        EX      DE,HL
        JR      NC,UMUL2
        ADD     HL,BC
        JR      C,OMC1     ; (its JP C,OMERR sees the same flag)
UMUL2:  DEC     A
        JR      NZ,UMUL1
        RET


; ============================================================================
; The expression evaluator. Each level is entered with HL at the first
; character of its operand and returns with HL after it (A and flags as
; CHRGOT). Precedence, lowest first: OR, AND, NOT, relations (= <> < >
; <= >=, -1 true 0 false), + -, * /, unary -, ^.
; ============================================================================
EVALNUM: CALL   EVAL            ; a number, else ?TM ERROR
        PUSH    AF
        RST     20H
        JP      Z,TMERR
        POP     AF
        RET

; ============================================================================
; 1A19h: Level II's READY entry (programs jump here; the program is kept).
; The code above must end before it (the assembler refuses an overlap).
; ============================================================================
        ORG     1A19H
READY:  JP      READY0

EVALSTR: CALL   EVAL            ; a string, else ?TM ERROR
        PUSH    AF
        RST     20H
        JP      NZ,TMERR
        POP     AF
        RET
; ---- (the next 33 bytes go into the firmware's free bytes at 056Ch: code
; reached only by CALL and JP, so it may live anywhere) ----
MVBACK  DEFL    $               ; where the main run goes on
        ORG     056CH


; GETINT: an integer -32768..32767 -> DE. GETBYT: 0-255 -> A and E.
GETINT: CALL    EVALNUM
        PUSH    HL
        CALL    FRCINT
        EX      DE,HL
        POP     HL
        JP      CHRGOT
GETBYT: CALL    GETINT
        LD      A,D
        OR      A
        JP      NZ,FCERR
        LD      A,E
        RET
; GETADR: an address 0-65535 (or -65535..-1, taken mod 65536) -> DE.
GETADR: CALL    EVALNUM
        PUSH    HL
        CALL    FACADR          ; statements part
        POP     HL
        JP      CHRGOT
GAP056C DEFL    $               ; the next free byte at 056Ch
        ORG     MVBACK          ; back to the main run

EVAL:   DEC     HL
        RST     10H
        CALL    STKCHK          ; room for the stack? (deep nesting: ?OM)
E_OR:   CALL    E_AND           ; OR
EOR1:   CP      T_OR
        RET     NZ
        LD      DE,E_AND
        CALL    BINOP
        JR      EOR1
; ---- (the next 14 bytes go into the firmware's free bytes at 017Dh: code
; reached only by CALL and JP, so it may live anywhere) ----
MVBACK  DEFL    $               ; where the main run goes on
        ORG     017DH
E_AND:  CALL    E_REL           ; AND
EAND1:  CP      T_AND
        RET     NZ
        LD      DE,E_REL
        CALL    BINOP
        JR      EAND1
GAP017D DEFL    $               ; the next free byte at 017Dh
        ORG     MVBACK          ; back to the main run
E_REL:  CALL    E_ADD           ; relations: B = mask, > 1, = 2, < 4
EREL1:  LD      B,0
EREL2:  SUB     T_GT
        JR      C,EREL3
        CP      3
        JR      NC,EREL3
        INC     A
        CP      3
        JR      NZ,EREL2A
        INC     A
EREL2A: OR      B
        LD      B,A
        RST     10H
        JR      EREL2
EREL3:  LD      A,B
        OR      A
        JP      Z,CHRGOT
        DEC     HL              ; (BINOP steps over one character)
        LD      DE,E_ADD
        CALL    BINOP
        JR      EREL1
; ---- (the next 68 bytes go into the firmware's free bytes at 0358h: code
; reached only by CALL and JP, so it may live anywhere) ----
MVBACK  DEFL    $               ; where the main run goes on
        ORG     0358H
E_ADD:  CALL    E_MUL           ; + -
EADD1:  CP      T_PLUS
        JR      Z,EADD2
        CP      T_MINUS
        RET     NZ
EADD2:  LD      DE,E_MUL
        CALL    BINOP
        JR      EADD1
E_MUL:  CALL    E_POW           ; * /
EMUL1:  CP      T_MUL
        JR      Z,EMUL2
        CP      T_DIV
        RET     NZ
EMUL2:  LD      DE,E_POW
        CALL    BINOP
        JR      EMUL1
E_POW:  CALL    ATOM            ; ^
EPOW1:  CP      T_POW
        RET     NZ
        LD      DE,ATOM
        CALL    BINOP
        JR      EPOW1

; BINOP: the operator A at HL; the left operand in FAC. Evaluate the right
; one with the routine DE (after the operator), then DOOP.
BINOP:  PUSH    AF              ; the operator
        PUSH    DE
        POP     IY
        CALL    PUSHF           ; the left operand
        RST     10H
        CALL    CALLIY          ; the right one
        CALL    POPL
        POP     AF
        JP      DOOP
GAP0358 DEFL    $               ; the next free byte at 0358h
        ORG     MVBACK          ; back to the main run
; ---- (the next 2 bytes go into the firmware's free bytes at 017Dh) ----
MVBACK  DEFL    $               ; where the main run goes on
        ORG     GAP017D
CALLIY: JP      (IY)
GAP017D DEFL    $               ; the next free byte at 017Dh
        ORG     MVBACK          ; back to the main run

; ATOM: a number, string, variable, function, (expression), -x, +x, NOT x.
ATOM:   CALL    CHRGOT
        JP      Z,SNERR         ; nothing there
        JR      C,ATNUM
        CP      '.'
        JR      Z,ATNUM
        CP      T_MINUS
        JR      Z,ATNEG
        CP      T_PLUS
        JR      Z,ATPLUS
        CP      '"'
        JR      Z,ATSTR
        CP      T_NOT
        JR      Z,ATNOT
        CP      '('
        JR      Z,ATPAR
        CP      T_FIRSTF
        JR      NC,ATFN
        CALL    PTRGTX          ; a variable
        PUSH    HL
        EX      DE,HL
        CALL    LOADV
        POP     HL
        JP      CHRGOT
ATPLUS: RST     10H
        JR      ATOM
ATNUM:  CALL    FIN             ; maths part
        JR      ATNXT
ATSTR:  CALL    STRLIT          ; strings part
ATNXT:  DEC     HL
        RST     10H
        RET
ATNEG:  RST     10H             ; -x: binds less than ^ (-2^2 = -4)
        CALL    E_POW
        PUSH    HL
        RST     20H
        JP      Z,TMERR
        CALL    NEGFAC
        POP     HL
        JP      CHRGOT
ATNOT:  RST     10H             ; NOT x: x is a relation (NOT A=B)
        CALL    E_REL
        PUSH    HL
        CALL    FRCINT
        LD      A,L
        CPL
        LD      L,A
        LD      A,H
        CPL
        LD      H,A
        CALL    SETINT
        POP     HL
        JP      CHRGOT
ATPAR:  RST     10H
        CALL    EVAL
        RST     08H
        DB      ')'
        RET
ATFN:   CP      T_APOS          ; a function token (FNTAB: C0h-C9h, D7h-FAh)
        JP      NC,SNERR
        SUB     T_FIRSTF
        CP      0CAH-T_FIRSTF
        JR      C,ATFN0
        SUB     0D7H-0CAH       ; (CAh-D6h are operators)
        JP      C,SNERR
ATFN0:  LD      C,A
        LD      B,0
        PUSH    HL
        LD      HL,FNTAB
        ADD     HL,BC
        ADD     HL,BC
        LD      E,(HL)
        INC     HL
        LD      D,(HL)
        POP     HL
        LD      A,C
        CP      1               ; USR
        JR      Z,ATFN1
        CP      0CAH-T_FIRSTF   ; SGN ... CHR$: one argument
        JR      C,ATFN2
        CP      0F8H-T_FIRSTF-(0D7H-0CAH)
        JR      NC,ATFN2
ATFN1:  PUSH    DE
        RST     10H
        RST     08H
        DB      '('
        CALL    EVAL
        RST     08H
        DB      ')'
        POP     DE
        PUSH    HL
        LD      HL,ATFNR
        PUSH    HL
        PUSH    DE
        RET
ATFNR:  POP     HL
        JP      CHRGOT
ATFN2:  INC     HL              ; the others read their own arguments
        LD      BC,ATNXT
        PUSH    BC
        PUSH    DE
        RET
; ---- (the next 9 bytes go into the firmware's free bytes at 01EFh: code
; reached only by CALL and JP, so it may live anywhere) ----
MVBACK  DEFL    $               ; where the main run goes on
        ORG     01EFH

; ERL and ERR
FN_ERL: PUSH    HL              ; (0-65535: a single when past 32767)
        LD      HL,(ERRLIN)
        CALL    RETUNS          ; statements part
        POP     HL
        RET
GAP01EF DEFL    $               ; the next free byte at 01EFh
        ORG     MVBACK          ; back to the main run
; ---- (the next 12 bytes go into the firmware's free bytes at 0206h: code
; reached only by CALL and JP, so it may live anywhere) ----
MVBACK  DEFL    $               ; where the main run goes on
        ORG     0206H
FN_ERR: PUSH    HL
        LD      A,(ERRCOD)
        LD      L,A
        LD      H,0
FNERR1: CALL    SETINT
        POP     HL
        RET
GAP0206 DEFL    $               ; the next free byte at 0206h
        ORG     MVBACK          ; back to the main run

; PUSHF: push VALTYP and the FAC's 8 bytes (10 bytes) under the return
; address. POPL: pop them into ARG and LTYP; POPF: into FAC and VALTYP.
; PUSHF uses A, BC, IX; POPL and POPF A, BC, DE, IX, IY.
PUSHF:  POP     IX
        LD      BC,(FAC+2)
        PUSH    BC
        LD      BC,(FAC)
        PUSH    BC
        LD      BC,(DFAC+2)
        PUSH    BC
        LD      BC,(DFAC)
        PUSH    BC
        LD      A,(VALTYP)
        PUSH    AF
        JP      (IX)
; ---- (the next 37 bytes go into the firmware's free bytes at 023Fh: code
; reached only by CALL and JP, so it may live anywhere) ----
MVBACK  DEFL    $               ; where the main run goes on
        ORG     023FH
POPF:   LD      DE,DFAC
        LD      BC,VALTYP
        JR      POPX
POPL:   LD      DE,ARG
        LD      BC,LTYP
POPX:   POP     IX              ; (the return address)
        PUSH    HL
        POP     IY              ; (the text pointer)
        POP     AF
        LD      (BC),A          ; the type
        LD      B,4
POPX1:  POP     HL              ; the 8 bytes
        EX      DE,HL
        LD      (HL),E
        INC     HL
        LD      (HL),D
        INC     HL
        EX      DE,HL
        DJNZ    POPX1
        PUSH    IY
        POP     HL
        JP      (IX)
GAP023F DEFL    $               ; the next free byte at 023Fh
        ORG     MVBACK          ; back to the main run
; ---- (the next 10 bytes go into the firmware's free bytes at 02A7h: code
; reached only by CALL and JP, so it may live anywhere) ----
MVBACK  DEFL    $               ; where the main run goes on
        ORG     02A7H

; ARGFAC2: FAC = ARG (8 bytes), VALTYP = LTYP. Uses A, BC, DE, HL.
ARGFC2: CALL    ARGFAC
        LD      A,(LTYP)
        LD      (VALTYP),A
        RET
GAP02A7 DEFL    $               ; the next free byte at 02A7h
        ORG     MVBACK          ; back to the main run

; FRCTYP: convert the FAC to type A (2, 4 or 8) unless it is that already.
FRCTYP: LD      B,A
        LD      A,(VALTYP)
        CP      B
        RET     Z
        LD      A,B
        CP      4
        JP      Z,FRCSNG
        JP      NC,FRCDBL
        JP      FRCINT

; DOOP: left operand in ARG (type LTYP), right in FAC; A = the operator
; token (+ - * / ^ AND OR) or a relation mask (1 >, 2 =, 4 <). Both are
; made the wider type (/ and ^ at least single) and the maths part (or
; the strings part) computes; FAC = the result. Keeps HL; A as CHRGOT.
DOOP:   PUSH    HL
        LD      C,A
        LD      A,(LTYP)
        CP      3
        JP      Z,DOSTR
        RST     20H
        JP      Z,TMERR
        LD      A,C
        CP      T_AND
        JP      NC,DOLOG
        LD      A,(LTYP)
        LD      B,A
        LD      A,(VALTYP)
        CP      B
        JR      NC,DOOP1
        LD      A,B
DOOP1:  LD      B,A             ; B = the wider type
        LD      A,C
        CP      T_POW
        JR      Z,DOOP2
        CP      T_DIV
        JR      NZ,DOOP3
        LD      A,B
        CP      4
        JR      NC,DOOP3
DOOP2:  LD      B,4
DOOP3:  LD      A,(VALTYP)      ; convert what needs it
        CP      B
        JR      NZ,DOOP4
        LD      A,(LTYP)
        CP      B
        JR      Z,DOOP5
DOOP4:  PUSH    BC
        LD      A,B
        LD      (PTLOOP),A
        CALL    FRCTYP          ; the right operand
        CALL    PUSHF
        CALL    ARGFC2          ; the left one
        LD      A,(PTLOOP)
        CALL    FRCTYP
        CALL    FACARG
        LD      A,(VALTYP)
        LD      (LTYP),A
        CALL    POPF
        POP     BC
DOOP5:  LD      A,C
        CP      8
        JR      C,DOREL
        SUB     T_PLUS          ; OPTAB entry: 3 x operator + type
        LD      C,A
        ADD     A,A
        ADD     A,C
        LD      C,A
        LD      A,B
        SRL     A
        SRL     A
        ADD     A,C
        ADD     A,A
        LD      C,A
        LD      B,0
        LD      HL,OPTAB
        ADD     HL,BC
        LD      E,(HL)
        INC     HL
        LD      D,(HL)
        LD      HL,DOEND
        PUSH    HL
        PUSH    DE
DOARGS: LD      DE,(ARGLO)      ; left: DE (integer), BCDE (single)
        LD      BC,(ARGLO+2)
        LD      HL,(FAC)        ; right: HL (integer)
        RET
DOEND:  POP     HL
        JP      CHRGOT
DOREL:  PUSH    BC              ; C = the mask
        LD      HL,DOREL2
        PUSH    HL
        LD      A,B
        CP      4
        LD      HL,SCMP
        JR      Z,DOREL1
        LD      HL,DCMP
        JR      NC,DOREL1
        LD      HL,ICMP
DOREL1: PUSH    HL
        JR      DOARGS
DOREL2: POP     BC              ; A = 0 equal, 1 left > right, FFh left < right
        ADD     A,2
        LD      B,A
        LD      A,8
DOREL3: RRCA
        DJNZ    DOREL3          ; A = 1 >, 2 =, 4 <
        AND     C
        LD      HL,0
        JR      Z,DOREL4
        DEC     HL
DOREL4: CALL    SETINT
        JR      DOEND
DOSTR:  RST     20H             ; strings: + and relations
        JP      NZ,TMERR
        LD      DE,(ARGLO)
        LD      A,C
        CP      T_PLUS
        JR      NZ,DOSTR1
        CALL    STRCAT
        JR      DOEND
DOSTR1: CP      8
        JP      NC,TMERR
        PUSH    BC
        LD      HL,DOREL2
        PUSH    HL
        JP      STRCMP
DOLOG:  PUSH    BC              ; AND, OR: on integers
        CALL    FRCINT
        PUSH    HL
        CALL    ARGFC2
        CALL    FRCINT
        EX      DE,HL
        POP     HL
        POP     BC
        LD      A,C
        CP      T_AND
        LD      A,D
        JR      NZ,DOLOG1
        AND     H
        LD      H,A
        LD      A,E
        AND     L
        JR      DOLOG2
DOLOG1: OR      H
        LD      H,A
        LD      A,E
        OR      L
DOLOG2: LD      L,A
        CALL    SETINT
        JR      DOEND

; The maths part's routines: + - * / ^ for integer, single, double.
OPTAB:  DW      IADD,SADD,DADD
        DW      ISUB,SSUB,DSUB
        DW      IMUL,SMUL,DMUL
        DW      SNERR,SDIV,DDIV
        DW      SNERR,POWER     ; (^ is always single)

; ============================================================================
; PRINT [@ n,] items separated by ; and , (zones of 16), TAB(n), USING
; ============================================================================
ST_PRINT: JP    Z,CRLF          ; PRINT alone: a new line
        CP      '@'
        JR      NZ,PRT2A
        RST     10H
        CALL    GETINT
        LD      A,D
        CP      4
        JP      NC,FCERR
        PUSH    HL
        LD      HL,3C00H
        ADD     HL,DE
        LD      (4020H),HL      ; the cursor
        LD      A,E
        AND     3FH
        LD      (BPOSCL),A
        POP     HL
        CALL    CHRGOT
        RET     Z
        RST     08H
        DB      ','
PRT2:   JR      Z,ST_PRINT      ; the end: a new line (ST_PRINT's JP Z,CRLF)
PRT2A:  CP      T_USING
        JR      NZ,PRT3
        INC     HL
        JP      USING           ; statements part
PRT3:   CP      T_TAB
        JR      Z,PRTAB
        CP      ';'
        JR      Z,PRSEMI
        CP      ','
        JR      Z,PRCOMA
        CALL    EVAL
        PUSH    HL
        RST     20H
        JR      Z,PRSTR
        CALL    FOUT            ; a number: " 12" or "-12", then a space
        CALL    PRTSTR
        LD      A,' '
        CALL    OUTCHR
        JR      PRT4
PRSTR:  CALL    STROUT
PRT4:   POP     HL
        CALL    CHRGOT
        JR      PRT2
PRSEMI: RST     10H             ; ; at the end: no new line
        RET     Z
        JR      PRT3
PRCOMA: CALL    GETPOS          ; , : to the next zone of 16
        CP      48
        JR      C,PRCOM1
        CALL    CRLF
        JR      PRSEMI
PRCOM1: LD      A,' '
        CALL    OUTCHR
        CALL    GETPOS
        AND     0FH
        JR      NZ,PRCOM1
        JR      PRSEMI
PRTAB:  RST     10H             ; TAB(n): spaces up to column n
        CALL    GETBYT
        RST     08H
        DB      ')'
        PUSH    HL
PRTAB1: CALL    GETPOS
        CP      E
        JR      NC,PRTAB2
        LD      A,' '
        CALL    OUTCHR
        JR      PRTAB1
PRTAB2: POP     HL
        CALL    CHRGOT
        JR      PRT2

; ============================================================================
; INPUT ["prompt";] var[,var...]
; ============================================================================
ST_INPUT: CALL  ISDIRC
        JP      Z,IDERR
        LD      (SAVSTK),SP
        CALL    CHRGOT
        CP      '"'
        JR      NZ,INP1
        CALL    STRLIT          ; the prompt
        PUSH    HL
        CALL    STROUT
        POP     HL
        DEC     HL
        RST     10H
        RST     08H
        DB      ';'
INP1:   LD      (INPTXT),HL     ; the variables (again after ?REDO)
INP2:   LD      HL,QMARK
        CALL    PRTSTR
        CALL    INLBUF
        LD      A,(HL)
        OR      A
        JR      NZ,INP3
        LD      HL,(INPTXT)     ; nothing typed: the variables keep their values
        JP      SKPSTM
INP3:   EX      DE,HL           ; DE = the data typed
        LD      HL,(INPTXT)
INPVAR: PUSH    DE
        CALL    PTRGET
        EX      (SP),HL         ; HL = data, (SP) = text
        PUSH    DE              ; the variable
        LD      A,(VALTYP)
        PUSH    AF
INPV0:  LD      A,(HL)
        CP      ' '
        JR      NZ,INPV1
        INC     HL
        JR      INPV0
INPV1:  OR      A
        JR      NZ,INPV2
        LD      HL,QMARK2       ; more wanted: ??
        CALL    PRTSTR
        CALL    INLBUF
        JR      INPV0
INPV2:  POP     AF
        PUSH    AF
        CP      3
        JR      Z,INPSTR
        LD      A,(HL)
        CALL    FIN             ; a number
        JR      INPV3
INPSTR: LD      A,(HL)
        CP      '"'
        JR      NZ,INPS1
        CALL    STRLIT          ; "quoted"
        JR      INPV3
INPS1:  LD      B,','
        LD      D,B
        CALL    STRLT2          ; up to a comma or the end
INPV3:  LD      A,(HL)          ; then a comma or the end, or ?REDO
        CP      ' '
        JR      NZ,INPV4
        INC     HL
        JR      INPV3
INPV4:  OR      A
        JR      Z,INPV5
        CP      ','
        JR      Z,INPV5
        POP     AF
        POP     DE
        POP     HL
        LD      HL,REDOM
        CALL    PRTSTR
        LD      HL,(INPTXT)
        JR      INP2
INPV5:  POP     AF
        POP     DE
        CALL    ASSIGN
        EX      DE,HL           ; DE = data
        POP     HL              ; HL = text
        CALL    CHRGOT
        JR      Z,INPEND
        RST     08H
        DB      ','
        LD      A,(DE)
        CP      ','
        JR      NZ,INPVAR
        INC     DE
        JR      INPVAR
INPEND: LD      A,(DE)          ; more typed than wanted
        OR      A
        RET     Z
        PUSH    HL
        LD      HL,EXTRAM
        CALL    PRTSTR
        POP     HL
        RET

; INLBUF: read a line into the input buffer: HL = its start, ending with
; 00h. BREAK: "BREAK IN n" (CONT cannot go on).
INLBUF: LD      HL,INBUF
        LD      B,240
        CALL    B_LINEIN
        JR      C,INPBRK
        LD      HL,INBUF
        LD      C,B
        LD      B,0
        ADD     HL,BC
        LD      (HL),B
        LD      HL,INBUF
        RET
INPBRK: LD      SP,(SAVSTK)
        POP     BC
        LD      HL,0
        LD      (OLDTXT),HL
        LD      A,1
        PUSH    AF
        JP      STOP2

QMARK2: DB      "?"
QMARK:  DB      "? ",0
REDOM:  DB      "?REDO",0DH,0
EXTRAM: DB      "?EXTRA IGNORED",0DH,0

; ============================================================================
; Output helpers
; ============================================================================
; OUTCHR: A to the current device (firmware 032Ah). Keeps all but F.
OUTCHR  EQU     B_OUTDEV

; PRTSTR: print the text at HL up to its 00h. Uses A, HL.
PRTSTR: LD      A,(HL)
        OR      A
        RET     Z
        CALL    OUTCHR
        INC     HL
        JR      PRTSTR

; FINLIN: a new line unless the cursor (or print head) is at its start.
FINLIN: CALL    GETPOS
        OR      A
        RET     Z
        JP      CRLF

; GETPOS: A = the column of the current device.
GETPOS: LD      A,(BOUTSL)
        OR      A
        LD      A,(409BH)
        RET     NZ
        LD      A,(4020H)       ; the video cursor's column
        AND     3FH
        RET

; LINPRT: print HL (0-65535) in decimal. Uses A, BC, DE, HL.
LINPRT: CALL    NUMTXT
        JR      PRTSTR
; ---- (the next 95 bytes go into the firmware's free bytes at 02B5h: code
; reached only by CALL and JP, so it may live anywhere) ----
MVBACK  DEFL    $               ; where the main run goes on
        ORG     02B5H

; NUMTXT: HL (0-65535) -> HL = its decimal digits, ending with 00h, in
; NUMBUF. Uses A, BC, DE.
NUMTXT: LD      DE,NUMBUF
        LD      BC,-10000
        CALL    NUMT2
        LD      BC,-1000
        CALL    NUMT2
        LD      BC,-100
        CALL    NUMT2
        LD      C,-10
        CALL    NUMT2
        LD      A,L
        ADD     A,'0'
        LD      (DE),A
        INC     DE
        XOR     A
        LD      (DE),A
        LD      HL,NUMBUF       ; past the leading zeros
        LD      B,4
NUMT1:  LD      A,(HL)
        CP      '0'
        RET     NZ
        INC     HL
        DJNZ    NUMT1
        RET
NUMT2:  LD      A,'0'-1
NUMT3:  INC     A
        ADD     HL,BC
        JR      C,NUMT3
        SBC     HL,BC
        LD      (DE),A
        INC     DE
        RET

; LINGET: a line number at HL (CHRGOT state: carry if a digit) -> DE;
; DE = 0 if there is none. ?SN ERROR above 65529.
LINGET: LD      DE,0
LING1:  RET     NC
        PUSH    HL
        PUSH    AF
        LD      HL,6552
        RST     18H
        JP      C,SNERR
        LD      H,D
        LD      L,E
        ADD     HL,HL
        ADD     HL,HL
        ADD     HL,DE
        ADD     HL,HL
        POP     AF
        SUB     '0'
        LD      E,A
        LD      D,0
        ADD     HL,DE
        EX      DE,HL
        POP     HL
        RST     10H
        JR      LING1

; FACSGN: A = sign of the FAC: FFh negative, 0 zero, 1 positive (?TM for a
; string; the maths part's FPSGN). Uses HL.
FACSGN: RST     20H
        JP      Z,TMERR
        JP      FPSGN
GAP02B5 DEFL    $               ; the next free byte at 02B5h
        ORG     MVBACK          ; back to the main run

; ============================================================================
; LIST [a][-[b]]: LIST, LIST 10, LIST 10-50, LIST -20, LIST 30-.
; Callable as a subroutine (LLIST sets the printer as the device around it).
; ============================================================================
ST_LIST: PUSH   AF              ; carry: a first number
        CALL    LINGET
        POP     AF
        PUSH    DE              ; first (0 if none)
        LD      DE,0FFFFH
        JR      NC,LST1
        POP     DE              ; one number: last = first
        PUSH    DE
LST1:   CALL    CHRGOT
        CP      T_MINUS
        JR      NZ,LST2
        LD      DE,0FFFFH
        RST     10H
        JR      NC,LST2
        CALL    LINGET
LST2:   POP     BC
        PUSH    HL              ; the text
        PUSH    DE              ; last
        LD      D,B
        LD      E,C
        CALL    FNDLIN
        LD      H,B
        LD      L,C
LST3:   LD      A,(HL)          ; HL = a line
        INC     HL
        OR      (HL)
        JR      Z,LSTEND
        INC     HL
        LD      E,(HL)
        INC     HL
        LD      D,(HL)          ; DE = its number
        INC     HL
        EX      (SP),HL
        RST     18H             ; past the last one?
        EX      (SP),HL
        JR      C,LSTEND
        PUSH    HL
        EX      DE,HL
        CALL    LINPRT
        LD      A,' '
        CALL    OUTCHR
        POP     HL
        CALL    LSTLIN
        CALL    CRLF
        CALL    B_KBSCAN        ; BREAK stops it
        DEC     A
        JR      NZ,LST3
LSTEND: POP     DE
        POP     HL
        RET

; LSTLIN: print a line's text from HL, keywords spelled out, up to its 00h;
; HL after the 00h. A colon before ELSE, and ":REM" before ', are not
; shown. C: bit 0 in quotes, 1 in DATA, 2 in REM (keywords there are
; spelled out too, as Level II's LIST does, but start nothing).
LSTLIN: LD      C,0
LSL1:   LD      A,(HL)
        INC     HL
        OR      A
        RET     Z
        JP      M,LSLTOK
        CP      '"'
        JR      NZ,LSL2
        BIT     2,C
        JR      NZ,LSL4
        LD      B,A
        LD      A,C
        XOR     1
        LD      C,A
        LD      A,B
        JR      LSL4
LSL2:   CP      ':'
        JR      NZ,LSL4
        LD      B,A
        LD      A,C
        AND     5               ; in quotes or REM: just a colon
        LD      A,B
        JR      NZ,LSL4
        RES     1,C             ; DATA ends
        LD      A,(HL)
        CP      T_ELSE
        JR      Z,LSL1
        CP      T_REM
        JR      NZ,LSL3
        INC     HL
        LD      A,(HL)
        DEC     HL
        CP      T_APOS
        JR      NZ,LSL3
        INC     HL              ; :REM' lists as '
        JR      LSL1
LSL3:   LD      A,':'
LSL4:   CALL    OUTCHR
        JR      LSL1
LSLTOK: PUSH    AF
        CALL    PRTKW
        POP     AF
        LD      B,A
        LD      A,C
        AND     7
        LD      A,B
        JR      NZ,LSL1         ; inside quotes, DATA or REM
        CP      T_REM
        JR      Z,LSLREM
        CP      T_APOS
        JR      Z,LSLREM
        CP      T_DATA
        JR      NZ,LSL1
        SET     1,C
        JR      LSL1
LSLREM: SET     2,C
        JR      LSL1

; PRTKW: print the keyword of token A (80h-FBh). Keeps BC, HL.
PRTKW:  CP      0FCH
        RET     NC
        PUSH    HL
        PUSH    BC
        SUB     80H
        LD      B,A
        LD      HL,KEYTAB
PRTK1:  LD      A,B
        OR      A
        JR      Z,PRTK3
PRTK2:  INC     HL
        LD      A,(HL)
        OR      A
        JP      P,PRTK2
        DEC     B
        JR      PRTK1
PRTK3:  LD      A,(HL)
        AND     7FH
PRTK4:  CALL    OUTCHR
        INC     HL
        LD      A,(HL)
        OR      A
        JP      P,PRTK4
        POP     BC
        POP     HL
        RET

; ============================================================================
; The other parts of BASIC, then the tables and the stand-ins. Not all of
; them fit in 1000h-37DFh yet (ABI.md, ROM budget): PRINT USING waits
; until the parts shrink; pending.asm stands in for it (?SN ERROR).
; ============================================================================
        INCLUDE "stmts.asm"     ; statements part
        INCLUDE "using.asm"     ; statements part: PRINT USING
        INCLUDE "strings.asm"   ; strings part
        INCLUDE "fp.asm"        ; maths part
        INCLUDE "tokens.asm"    ; generated: keywords, dispatch tables
        INCLUDE "pending.asm"   ; stand-ins for what is not written yet
