; BASIC strings: string space, descriptors, temporaries, garbage collection,
; the string operators and the string functions
; ==========================================================================
;
; Part of the free ROM's BASIC (the "strings" part, see ABI.md). Written
; from scratch for z80emu; the behaviour and the RAM layout follow Level II
; BASIC as TRS80-REFERENCE.md section 6 and the TRS-80 manuals describe it,
; so programs that PEEK at string space or descriptors keep working.
;
; How strings are kept
; --------------------
; A string is a DESCRIPTOR of 3 bytes: its length (0-255), then the address
; of its first character (low byte, high byte). A string variable's value
; is its descriptor; the characters live elsewhere:
;   - in STRING SPACE, a block at the top of memory. 40A0h holds its lowest
;     address, MEMSIZ (40B1h) its highest. New strings are taken from the
;     top downwards: 40D6h (FRETOP) is the highest byte still free, so a
;     string of n bytes goes at FRETOP-n+1..FRETOP and FRETOP drops by n;
;   - or in the program text itself: A$="HI" in a program leaves A$
;     pointing at the H between the quotes (nothing is copied).
;
; An expression's string result (a literal, LEFT$(...), A$+B$) gets a
; TEMPORARY descriptor: one of 3 slots at 40B5h, used as a stack
; (40B3h points at the next free slot). FAC (4121h-4122h) then holds the
; address of the descriptor and VALTYP (40AFh) is 3. Whoever consumes a
; string (PRINT, LET, a function) releases its temporary again (FRETMP);
; releasing the newest string in string space also gives its bytes back.
; More temporaries at once than 3 is ?ST ERROR.
;
; When string space runs out, the GARBAGE COLLECTOR (GARBAG) finds every
; string still in use - temporaries, simple string variables (VARTAB up
; to ARYTAB) and string array elements (ARYTAB up to STREND) - and slides
; them up to the top of string space, closing the gaps left by strings
; nobody uses any more. If there is still no room: ?OS ERROR.
;
; Variables, as Level II lays them out (the core builds them):
;   simple:  type (2, 3, 4 or 8 = bytes of value), name (2 bytes), value
;   array:   type, name (2 bytes), size (2 bytes: the bytes that follow it),
;            number of dimensions (1 byte), 2 bytes per dimension, elements
; so a string variable's descriptor is its value (type 3).
;
; Registers: HL is the BASIC text pointer (ABI.md). Each routine says what
; it takes, returns and changes.

; ---- addresses used here (Level II's, TRS80-REFERENCE.md 6.5) ----------------
S_KEY     EQU   4099H           ; key held for INKEY$ by BASIC's BREAK check
S_STRSPC  EQU   40A0H           ; lowest address of string space
S_TXTTAB  EQU   40A4H           ; start of the program
S_VALTYP  EQU   40AFH           ; type of the value in FAC (3 = string)
S_MEMSIZ  EQU   40B1H           ; highest address BASIC uses: top of string space
S_TEMPPT  EQU   40B3H           ; next free temporary descriptor
S_TEMPST  EQU   40B5H           ; the temporary descriptors, 3 bytes each
S_NUMTMP  EQU   3               ; how many (Level II has 3)
S_TEMPND  EQU   S_TEMPST+3*S_NUMTMP ; first byte after them (40BEh)
S_DSCTMP  EQU   40D3H           ; descriptor of the string being made
S_FRETOP  EQU   40D6H           ; highest free byte of string space
S_VARTAB  EQU   40F9H           ; start of simple variables
S_ARYTAB  EQU   40FBH           ; start of arrays
S_STREND  EQU   40FDH           ; end of arrays
S_FAC     EQU   4121H           ; FAC: a string's descriptor address is here

S_STKMIN  EQU   100             ; bytes CLEAR leaves for the stack, at least

; Level II's error offsets (ABI.md) for the errors raised here
S_EOS     EQU   1AH             ; out of string space
S_ELS     EQU   1CH             ; string too long
S_EST     EQU   1EH             ; string formula too complex

; ============================================================================
; String space: set up, take room, collect garbage
; ============================================================================

; STRSET: CLEAR n - make string space DE bytes (0-65535), below MEMSIZ, then
; empty it (STRCLR). ?OM ERROR if that leaves fewer than 100 bytes
; between the arrays and string space (for the stack). Uses AF, BC, DE, HL.
STRSET: LD      HL,(S_MEMSIZ)
        OR      A
        SBC     HL,DE           ; HL = MEMSIZ - n
        JP      C,OMERR         ; more than all of memory
        EX      DE,HL           ; DE = the byte below the new string space
        LD      HL,(S_STREND)
        LD      BC,S_STKMIN
        ADD     HL,BC
        RST     18H             ; carry if STREND + 100 < DE: room enough
        JP      NC,OMERR
        INC     DE              ; (CLEAR 0 with memory up to FFFFh: 0000h)
        LD      (S_STRSPC),DE
                                ; fall into STRCLR

; STRCLR: forget every string (RUN, CLEAR, NEW): string space empty, no
; temporaries. Variables must be cleared too by the caller. Uses HL.
STRCLR: LD      HL,(S_MEMSIZ)
        LD      (S_FRETOP),HL
                                ; fall into TMPCLR

; TMPCLR: forget the temporaries (ERROR and READY do, and the core may at
; the start of each statement: none lives from one statement to the next).
; Uses HL.
TMPCLR: LD      HL,S_TEMPST
        LD      (S_TEMPPT),HL
        RET

; GETSPA: take room for A bytes (0-255) in string space. Collects garbage if
; needed; ?OS ERROR if there is still not enough.
; Out: DE = address of the first byte; DSCTMP = A, DE (a descriptor for the
; new string, for PUTNEW). Keeps BC and HL. Uses AF.
; GETSPB: the same for BC bytes (0-256); DSCTMP's length is then C.
GETSPA: PUSH    BC
        LD      C,A
        LD      B,0
        CALL    GETSPB
        POP     BC
        RET
; ---- (the next 32 bytes go into the firmware's free bytes at 0267h: code
; reached only by CALL and JP, so it may live anywhere) ----
MVBACK  DEFL    $               ; where the main run goes on
        ORG     0267H
GETSPB: PUSH    HL
        CALL    GETSP1          ; room?
        JR      NC,GETSP2
        CALL    GARBAG          ; no: collect the garbage and look again
        CALL    GETSP1
        LD      E,S_EOS
        JP      C,ERROR         ; still none: out of string space
GETSP2: LD      (S_FRETOP),HL   ; the new string is taken
        INC     HL              ; its first byte
        EX      DE,HL
        LD      A,C
        LD      (S_DSCTMP),A
        LD      (S_DSCTMP+1),DE
        POP     HL
        RET
GAP0267 DEFL    $               ; the next free byte at 0267h
        ORG     MVBACK          ; back to the main run
; ---- (the next 13 bytes go into the firmware's free bytes at 031Dh: code
; reached only by CALL and JP, so it may live anywhere) ----
MVBACK  DEFL    $               ; where the main run goes on
        ORG     031DH
; GETSP1: HL = FRETOP - BC, what FRETOP becomes once BC bytes are taken;
; carry if that leaves string space. Uses AF, DE.
GETSP1: LD      HL,(S_FRETOP)
        OR      A
        SBC     HL,BC
        LD      DE,(S_STRSPC)
        DEC     DE
        RST     18H
        RET
GAP031D DEFL    $               ; the next free byte at 031Dh
        ORG     MVBACK          ; back to the main run

; GARBAG: collect garbage - move every string in use to the top of string
; space, closing the gaps, and set FRETOP below them. Never fails. Keeps
; every register but AF.
;
; How: repeatedly find, among all live descriptors, the string with the
; highest address that has not been moved yet (moved strings lie above
; FRETOP, strings outside string space lie below STRSPC and are never
; moved), copy it up to end at FRETOP (LDDR: copying downwards from its
; last byte is safe even when old and new places overlap), update its
; descriptor and lower FRETOP. When no string is left, string space is
; compact. (Level II does the same, one string per pass.)
GARBAG: PUSH    BC
        PUSH    DE
        PUSH    HL
        PUSH    IX
        LD      HL,(S_MEMSIZ)   ; rebuild string space from the top
        LD      (S_FRETOP),HL
GCPASS: LD      BC,(S_STRSPC)   ; BC = best address so far (start below
        DEC     BC              ; string space: anything in it is better)
        LD      HL,S_TEMPST     ; the temporaries in use
GCTMP:  LD      DE,(S_TEMPPT)
        RST     18H
        JR      NC,GCVARS
        CALL    GCDESC
        JR      GCTMP
GCVARS: LD      HL,(S_VARTAB)   ; the simple variables
GCVAR:  LD      DE,(S_ARYTAB)
        RST     18H
        JR      NC,GCARYS
        LD      A,(HL)          ; type = bytes of value
        INC     HL              ; skip type and name
        INC     HL
        INC     HL
        CP      3
        JR      NZ,GCVAR1
        CALL    GCDESC          ; a string: its value is a descriptor
        JR      GCVAR
GCVAR1: LD      E,A             ; not a string: step over the value
        LD      D,0
        ADD     HL,DE
        JR      GCVAR
GCARYS: ; HL = ARYTAB: the arrays
GCARY:  LD      DE,(S_STREND)
        RST     18H
        JR      NC,GCMOVE
        LD      A,(HL)          ; type
        INC     HL              ; skip type and name
        INC     HL
        INC     HL
        LD      E,(HL)          ; DE = size of the rest of this array
        INC     HL
        LD      D,(HL)
        INC     HL
        PUSH    HL
        ADD     HL,DE
        EX      (SP),HL         ; (SP) = next array, HL = dimension count
        CP      3
        JR      NZ,GCARY2       ; not strings: skip the whole array
        LD      E,(HL)          ; skip the dimensions, 2 bytes each
        LD      D,0
        INC     HL
        ADD     HL,DE
        ADD     HL,DE
GCARY1: POP     DE              ; the elements, up to the next array
        PUSH    DE
        RST     18H
        JR      NC,GCARY2
        CALL    GCDESC
        JR      GCARY1
GCARY2: POP     HL
        JR      GCARY
GCMOVE: LD      HL,(S_STRSPC)   ; found nothing? (BC still STRSPC - 1)
        SCF
        SBC     HL,BC
        JR      Z,GCDONE
        LD      L,(IX+0)        ; HL = its last byte
        LD      H,0
        ADD     HL,BC
        DEC     HL
        LD      DE,(S_FRETOP)   ; to end at FRETOP
        LD      C,(IX+0)
        LD      B,0
        LDDR
        LD      (S_FRETOP),DE   ; DE went down by the length: the new FRETOP
        INC     DE
        LD      (IX+1),E        ; its new address
        LD      (IX+2),D
        JP      GCPASS
GCDONE: POP     IX
        POP     HL
        POP     DE
        POP     BC
        RET

; GCDESC: one descriptor for the collector. In: HL = the descriptor, BC =
; highest unmoved string address found so far, IX = its descriptor. If this
; string is not empty, lies in STRSPC..FRETOP and above BC, it becomes the
; best: BC = its address, IX = HL. Out: HL = HL + 3. Uses AF, DE.
GCDESC: LD      A,(HL)          ; length
        INC     HL
        LD      E,(HL)          ; DE = address of the characters
        INC     HL
        LD      D,(HL)
        INC     HL
        OR      A
        RET     Z               ; empty: nothing to keep
        PUSH    HL
        LD      HL,(S_FRETOP)
        RST     18H             ; carry if FRETOP < DE: moved already
        JR      C,GCDES1
        LD      H,B
        LD      L,C
        RST     18H             ; carry if BC < DE: the highest yet
        JR      NC,GCDES1
        LD      B,D
        LD      C,E
        POP     HL
        PUSH    HL
        DEC     HL
        DEC     HL
        DEC     HL
        PUSH    HL
        POP     IX
GCDES1: POP     HL
        RET

; ============================================================================
; Temporary descriptors
; ============================================================================

; PUTNEW: the descriptor in DSCTMP becomes a new temporary; FAC = its
; address, VALTYP = 3. ?ST ERROR when all are in use. Keeps HL. Uses AF,
; BC, DE.
PUTNEW: PUSH    HL
        LD      HL,(S_TEMPPT)
        LD      DE,S_TEMPND
        RST     18H
        LD      E,S_EST
        JP      NC,ERROR        ; every slot taken
        LD      (S_FAC),HL
        EX      DE,HL
        LD      HL,S_DSCTMP
        LD      BC,3
        LDIR
        LD      (S_TEMPPT),DE
        LD      A,3
        LD      (S_VALTYP),A
        POP     HL
        RET

; FRETMS: if HL is the newest temporary descriptor, release it (Z set),
; else NZ. Its 3 bytes stay readable. Keeps HL, BC. Uses AF, DE.
FRETMS: LD      DE,(S_TEMPPT)
        DEC     DE
        DEC     DE
        DEC     DE
        RST     18H
        RET     NZ
        LD      (S_TEMPPT),DE
        RET

; FREFAC: FRETMP for the string in FAC.
; FRETMP: a string has been used: if its descriptor (HL) is the newest
; temporary, release it, and if its characters are the newest in string
; space give them back too. Its characters stay readable until the next
; string is made. Out: HL = the descriptor, A = C = length, DE = address of
; the characters. Uses B.
FREFAC: LD      HL,(S_FAC)
FRETMP: CALL    FRETMS
        PUSH    HL
        LD      C,(HL)          ; C = length
        INC     HL
        LD      E,(HL)          ; DE = characters (flags still FRETMS's)
        INC     HL
        LD      D,(HL)
        JR      NZ,FRETM1       ; not a temporary: a variable keeps its string
        LD      HL,(S_FRETOP)
        INC     HL
        RST     18H             ; do they start just above FRETOP?
        JR      NZ,FRETM1
        DEC     HL              ; yes: FRETOP goes back up by the length
        LD      B,0
        ADD     HL,BC
        LD      (S_FRETOP),HL
FRETM1: POP     HL
        LD      A,C
        RET

; STRARG: FREFAC for a function's argument, which must be a string (else
; ?TM ERROR). Same results as FRETMP.
STRARG: RST     20H             ; GETYPE: Z for a string
        JP      NZ,TMERR
        JR      FREFAC

; ============================================================================
; Entry points for the interpreter (ABI.md)
; ============================================================================

; STRLIT: a string written in the text. HL at an opening quote: the string
; is what follows up to the closing quote or the end of the line. HL
; elsewhere (INPUT, READ): up to 00h, ':' or ','.
; STRLT2: the same, HL at the first character, ending at 00h or at the
; characters in B or D.
; Out: FAC = a temporary descriptor pointing into the text itself (nothing
; is copied), VALTYP = 3, HL just after the string (after its closing
; quote). Uses AF, BC, DE.
STRLIT: LD      A,(HL)
        LD      BC,','*256+':'  ; B = ',', C = ':' (see below)
        LD      D,C
        CP      '"'
        JR      NZ,STRLT2
        INC     HL              ; skip the opening quote
        LD      B,A             ; end only at the quote (or 00h)
        LD      D,A
STRLT2: PUSH    HL              ; the first character
        LD      C,-1
STRLT3: INC     C               ; C = characters so far
        LD      A,(HL)
        OR      A
        JR      Z,STRLT4
        CP      D
        JR      Z,STRLT4
        CP      B
        JR      Z,STRLT4
        INC     HL
        JR      STRLT3
STRLT4: CP      '"'
        JR      NZ,STRLT5
        INC     HL              ; past the closing quote
STRLT5: EX      (SP),HL         ; HL = first character, (SP) = after
        LD      (S_DSCTMP+1),HL
        LD      A,C
        LD      (S_DSCTMP),A
        POP     HL
        JP      PUTNEW

; STRCAT: left + right. In: DE = the left string's descriptor, FAC = the
; right string. Out: FAC = a new temporary (both operands released).
; ?LS ERROR if longer than 255. Keeps HL. Uses AF, BC, DE.
STRCAT: PUSH    HL
        PUSH    DE              ; left
        LD      HL,(S_FAC)
        PUSH    HL              ; right
        LD      A,(DE)
        ADD     A,(HL)          ; the two lengths
        LD      E,S_ELS
        JP      C,ERROR
        CALL    GETSPA          ; DE = room (both operands are still live)
        POP     BC              ; right
        POP     HL              ; left
        PUSH    BC
        PUSH    HL
        CALL    MOVSTR          ; copy the left string
        POP     HL
        EX      (SP),HL         ; HL = right, (SP) = left
        PUSH    HL
        CALL    MOVSTR          ; then the right one after it
        POP     HL
        CALL    FRETMP          ; release the right one first (newest)
        POP     HL
        CALL    FRETMP          ; then the left
        POP     HL
        JP      PUTNEW

; MOVSTR: copy the characters of the string whose descriptor is at HL to DE
; onwards. Out: DE after them. Uses AF, BC, HL.
; MOVE: copy C bytes (0-255) from HL to DE. Out: DE, HL after them. Uses AF, B.
MOVSTR: LD      C,(HL)          ; length
        INC     HL
        LD      A,(HL)
        INC     HL
        LD      H,(HL)
        LD      L,A
MOVE:   LD      B,0
        LD      A,C
        OR      A
        RET     Z               ; (LDIR with BC = 0 would copy 64K)
        LDIR
        RET

; STRCMP: compare two strings character by character (codes); a string that
; is the beginning of the other is the smaller. In: DE = the left string's
; descriptor, FAC = the right string. Out: A = 0 equal, 1 left > right,
; FFh left < right. Both are released. Keeps HL. Uses BC, DE.
STRCMP: PUSH    HL
        PUSH    DE
        CALL    FREFAC          ; right: C = length, DE = characters
        POP     HL
        PUSH    DE
        LD      B,C             ; B = right's length
        PUSH    BC
        CALL    FRETMP          ; left: C = length, DE = characters
        POP     AF              ; A = right's length
        LD      B,A
        POP     HL              ; HL = right's characters
STRCM1: LD      A,C
        OR      A               ; left used up?
        JR      Z,STRCM3
        LD      A,B
        OR      A               ; right used up?
        JR      Z,STRCM3
        LD      A,(DE)
        CP      (HL)            ; the characters decide
        JR      NZ,STRCM4
        INC     DE
        INC     HL
        DEC     C
        DEC     B
        JR      STRCM1
STRCM3: LD      A,C             ; one is used up: the lengths decide
        CP      B
STRCM4: LD      A,0             ; Z: equal
        JR      Z,STRCM5
        SBC     A,A             ; carry (left smaller): FFh, else 0
        OR      1               ; ... or 1
STRCM5: POP     HL
        RET

; STRASG: LET for strings: the string in FAC becomes the value of the
; descriptor at DE (a variable or an array element). The characters are
; copied into string space unless they already belong to this value:
;   - in the program text (a literal, DATA): keep pointing there;
;   - a temporary in string space (a result just made): it is taken over;
;   - below the program (the input buffer) or another variable's: copied.
; Releases the temporary. Keeps HL. Uses AF, BC, DE.
STRASG: PUSH    HL
        PUSH    DE              ; where the descriptor goes
        LD      HL,(S_FAC)
        LD      A,(HL)
        OR      A
        JR      Z,STRAS2        ; empty: nothing to copy
        INC     HL
        LD      A,(HL)
        INC     HL
        LD      H,(HL)
        LD      L,A             ; HL = the characters
        LD      DE,(S_TXTTAB)
        RST     18H
        JR      C,STRAS1        ; below the program: copy
        LD      DE,(S_STRSPC)
        RST     18H
        JR      C,STRAS2        ; in the program: keep
        LD      HL,(S_FAC)      ; in string space: the newest temporary?
        CALL    FRETMS
        JR      Z,STRAS3        ; yes: take it over
STRAS1: CALL    STRCPY          ; else a copy (a new temporary)
STRAS2: LD      HL,(S_FAC)
        CALL    FRETMS          ; release only the descriptor
STRAS3: POP     DE
        LD      BC,3
        LDIR
        POP     HL
        RET

; STRCPY: copy the string in FAC into string space, as a new temporary in
; FAC; the old one is released. Keeps HL. Uses AF, BC, DE.
STRCPY: PUSH    HL
        LD      HL,(S_FAC)
        LD      A,(HL)
        CALL    GETSPA          ; (the source stays live meanwhile)
        CALL    MOVSTR
        CALL    FREFAC
        POP     HL
        JP      PUTNEW

; STROUT: print the string in FAC on the current device (409Ch) and release
; it. Keeps HL. Uses AF, BC, DE.
STROUT: PUSH    HL
        CALL    FREFAC          ; C = length, DE = characters
        EX      DE,HL
        INC     C
STROU1: DEC     C
        JR      Z,STROU2
        LD      A,(HL)
        CALL    OUTDEV          ; firmware 032Ah: A to the device (keeps
        INC     HL              ; every register but F)
        JR      STROU1
STROU2: POP     HL
        RET

; FRESTR: FRE with a string argument: release it, collect garbage, HL =
; the free bytes of string space. Uses AF, BC, DE.
FRESTR: CALL    FREFAC
        CALL    GARBAG
        LD      HL,(S_FRETOP)
        LD      DE,(S_STRSPC)
        OR      A
        SBC     HL,DE           ; FRETOP - STRSPC + 1
        INC     HL
        RET

; ============================================================================
; String functions. One-argument ones (LEN ASC CHR$ STR$ VAL) find the
; argument in FAC; the others parse their own parentheses (ABI.md).
; ============================================================================

; LEN(s$): its length.
FN_LEN: CALL    STRARG          ; A = length
FNRETA: LD      L,A             ; A -> FAC as an integer
        LD      H,0
        JP      RETINT

; ASC(s$): the code of its first character; ?FC for "".
FN_ASC: CALL    STRARG
        OR      A
        JP      Z,FCERR
        LD      A,(DE)
        JR      FNRETA

; ---- (the next 49 bytes go into the free bytes at 0FC3h, after the
; monitor: code reached only by CALL and JP, so it may live anywhere) ----
MVBACK  DEFL    $               ; where the main run goes on
        ORG     0FC3H
; CHR$(n): a one-character string, n = 0-255.
FN_CHRS: CALL   FACBYT
CHR1:   PUSH    AF              ; a string of the character in A
        LD      A,1
        CALL    GETSPA
        POP     AF
        LD      (DE),A
        JP      PUTNEW

; FACBYT: the number in FAC as a byte: A = 0-255, else ?FC (a string: ?TM).
; Uses AF, BC, DE, HL.
FACBYT: RST     20H
        JP      Z,TMERR
        CALL    FRCINT          ; HL = the value
        LD      A,H
        OR      A
        JP      NZ,FCERR
        LD      A,L
        RET

; INKEY$: the key waiting - the one BASIC's BREAK check kept at 4099h,
; else a scan of the keyboard - as a one-character string, or "" if none.
; No argument: HL is kept.
FN_INKEYS:
        PUSH    HL
        LD      HL,S_KEY
        LD      A,(HL)
        LD      (HL),0          ; taken
        OR      A
        CALL    Z,KBSCAN        ; none kept: scan (uses DE)
        POP     HL
        OR      A
        JR      NZ,CHR1
        LD      (S_DSCTMP),A    ; no key: the empty string
        JP      PUTNEW
GAP0FC3 DEFL    $               ; the next free byte at 0FC3h
        ORG     MVBACK          ; back to the main run
; ---- (the next 16 bytes go into the firmware's free bytes at 0225h: code
; reached only by CALL and JP, so it may live anywhere) ----
MVBACK  DEFL    $               ; where the main run goes on
        ORG     0225H

; STR$(x): the number as PRINT shows it (leading space if positive), made
; by the maths part's FOUT (FAC -> text ending in 00h at HL).
FN_STRS: RST    20H
        JP      Z,TMERR
        CALL    FOUT            ; HL = the text
        LD      B,0
        LD      D,B
        CALL    STRLT2          ; a temporary pointing at it...
        JP      STRCPY          ; ...copied into string space
GAP0225 DEFL    $               ; the next free byte at 0225h
        ORG     MVBACK          ; back to the main run

; VAL(s$): the number at the start of the string, as the maths part's FIN
; reads numbers in a program (0 if none). The characters are copied with
; a 00h after them to the bottom of string space for FIN, and that room
; is given back afterwards.
FN_VAL: RST     20H
        JP      NZ,TMERR
        LD      HL,(S_FAC)
        LD      C,(HL)
        LD      B,0
        INC     BC              ; length + 1 for the 00h
        CALL    GETSPB          ; DE = room (the argument stays live)
        PUSH    DE
        CALL    FREFAC          ; C = length, DE = characters
        EX      DE,HL
        POP     DE
        PUSH    DE
        CALL    MOVE            ; DE = after the copy
        XOR     A
        LD      (DE),A          ; the end mark
        POP     HL              ; the copy
        PUSH    DE              ; = FRETOP before GETSPB
        DEC     HL
        RST     10H             ; CHRGET: the first character, spaces skipped
        CALL    FIN
        POP     HL
        LD      (S_FRETOP),HL   ; give the room back
        RET

; The two-argument and three-argument functions. Each works on a "source"
; string (any string expression) and takes part of it.

; SUBARG: parse "(s$,n" for LEFT$, RIGHT$, MID$. In: HL just after the
; token. Out: BC = the source descriptor, E = n, HL after the number.
SUBARG: RST     08H
        DB      '('
        CALL    EVALSTR
        RST     08H
        DB      ','
        LD      BC,(S_FAC)
        PUSH    BC
        CALL    GETBYT          ; E = n
        POP     BC
        RET

; LEFT$(s$,n): the first n characters (all of them if fewer).
FN_LEFTS:
        CALL    SUBARG
        LD      D,0             ; from the first character
SUBCLS: RST     08H             ; the closing parenthesis
        DB      ')'
                                ; fall into SUBSTR

; SUBSTR: the result: E characters (at most) of the source descriptor BC,
; starting D characters in. Out: FAC = a new temporary, the source is
; released. Keeps HL.
SUBSTR: LD      A,(BC)          ; characters from the start on:
        SUB     D
        JR      NC,SUBST1
        XOR     A               ; none when it starts past the end
SUBST1: CP      E
        JR      C,SUBST2        ; fewer than asked: take those
        LD      A,E
SUBST2: PUSH    HL              ; text pointer
        PUSH    BC              ; source
        PUSH    DE              ; D = start
        LD      C,A             ; C = count
        CALL    GETSPA          ; DE = room (the source is still live)
        POP     AF              ; A = start
        POP     HL
        PUSH    HL
        INC     HL              ; the source's characters + start
        ADD     A,(HL)
        INC     HL
        LD      H,(HL)
        LD      L,A
        JR      NC,SUBST3
        INC     H
SUBST3: CALL    MOVE
        POP     HL
        CALL    FRETMP          ; release the source
        POP     HL
        JP      PUTNEW

; RIGHT$(s$,n): the last n characters (all of them if fewer).
FN_RIGHTS:
        CALL    SUBARG
        LD      A,(BC)          ; start = length - n, or 0
        SUB     E
        JR      NC,RIGHT1
        XOR     A
RIGHT1: LD      D,A
        JR      SUBCLS

; MID$(s$,p[,n]): n characters (all the rest without n) from the p-th on,
; p = 1-255 (else ?FC); "" when p is past the end.
FN_MIDS:
        CALL    SUBARG
        LD      A,E
        DEC     A               ; start = p - 1
        CP      255
SFCZ:   JP      Z,FCERR         ; p = 0
        LD      D,A
        LD      E,255           ; no n: all the rest
        LD      A,(HL)
        CP      ','
        JR      NZ,SUBCLS
        PUSH    BC
        PUSH    DE
        RST     08H
        DB      ','
        CALL    GETBYT          ; A = n
        POP     DE
        LD      E,A
        POP     BC
        JR      SUBCLS

; STRING$(n, c): n copies of a character, given as a code (0-255) or as a
; string (its first character; ?FC for "").
FN_STRINGS:
        RST     08H
        DB      '('
        CALL    GETBYT          ; E = n
        PUSH    DE
        RST     08H
        DB      ','
        CALL    EVAL
        RST     08H
        DB      ')'
        EX      (SP),HL         ; text pointer saved, L = n
        PUSH    HL
        RST     20H
        JR      NZ,STRNG1
        CALL    FREFAC          ; a string: its first character
        OR      A
        JR      Z,SFCZ     ; (its JP Z,FCERR sees the same flag)
        LD      A,(DE)
        JR      STRNG2
STRNG1: CALL    FACBYT          ; a number: the code
STRNG2: POP     BC              ; C = n
        LD      B,A             ; B = the character
        LD      A,C
        CALL    GETSPA          ; keeps BC
        INC     C
STRNG3: DEC     C
        JR      Z,STRNG4
        LD      A,B
        LD      (DE),A
        INC     DE
        JR      STRNG3
STRNG4: POP     HL
        JP      PUTNEW
