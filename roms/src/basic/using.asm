; PRINT USING
; ===========
;
; Part of the free ROM's BASIC (the "statements" part, see ABI.md). Written
; from scratch for z80emu, following the rules of Level II's PRINT USING:
;
;   PRINT USING format$ ; item ; item ...
;
; The format string is printed character by character; where it holds a
; field the next item is printed in that field. When the items outlast the
; format it starts again from its beginning; after the last item the text up
; to the next field is still printed, then a new line unless the statement
; ends with ; or ,. A format without any field is ?FC.
;
; Number fields:
;   #       a digit position        .     the decimal point
;   ,       (left of the point) a comma between every three digits; it
;           counts as one more position
;   **      fill the empty positions on the left with * (two positions)
;   $$      a $ just before the first digit (two positions, one for the $)
;   **$     both (three positions)
;   +       at the start: print the sign, + or -; at the end: the sign after
;           the number
;   -       at the end: - after a negative number, a space otherwise
;   ^^^^    (four up arrows) exponent form, E+nn
; Without a sign in the field a negative number's minus takes one of the
; positions left of the point. A number too wide for its field is printed
; whole, after a %.
; String fields:
;   !       the first character of the string
;   %   %   as many characters as the field is wide (2 + the spaces between);
;           \   \ is taken the same way, & prints the whole string
;
; How the number's digits are found: the maths part's FPDGT (the first half
; of FOUT) hands out 16 digits of the value made double and the power of
; ten of the first (a single's rounded to the 7 digits it holds); USING
; rounds them to the field.
;
; Working storage is a frame on the stack, addressed through IX:

US_DIG  EQU     0               ; 24 bytes: the digits, ASCII
US_N    EQU     24              ; number of digits
US_EXP  EQU     25              ; decimal exponent: value = 0.digits x 10^exp
US_NEG  EQU     26              ; '-' when the number is negative, else 0
US_FLG  EQU     27              ; the field's flags (UF_...)
US_BEF  EQU     28              ; positions left of the point
US_AFT  EQU     29              ; digits right of the point
US_FND  EQU     30              ; not 0 once a field was found in the format
US_LEN  EQU     31              ; the format's length
US_PTR  EQU     32              ; 2 bytes: the next format character
US_XP   EQU     34              ; the exponent shown in the ^^^^ form
US_FMT  EQU     35              ; the format string, copied here, then 00h

UF_PLUS  EQU    01H             ; + at the start
UF_FILL  EQU    02H             ; **
UF_DOLL  EQU    04H             ; $
UF_COMMA EQU    08H             ; , left of the point
UF_POINT EQU    10H             ; a decimal point
UF_EXP   EQU    20H             ; ^^^^
UF_TPLUS EQU    40H             ; + at the end
UF_TMIN  EQU    80H             ; - at the end
UF_SIGN  EQU    UF_PLUS+UF_TPLUS+UF_TMIN

US_UPARR EQU    5BH             ; the up arrow (the ^ key)
USOUT   EQU     032AH           ; A to the current device (keeps all but F)
US_FHI  EQU     4123H           ; the maths part's FAC: top byte, sign in bit 7
US_FEXP EQU     4124H           ; its exponent (0: the number 0)
US_FDIG EQU     4133H           ; where FPDGT leaves the digits

; ============================================================================
; USING: entered from PRINT with HL just after the USING token; returns
; with HL at the end of the statement, having printed everything.
; ============================================================================
USING:  CALL    EVALSTR         ; the format
        RST     08H
        DB      ';'
        PUSH    HL              ; the text pointer
        CALL    FREFAC          ; strings part: A = C = length, DE = characters
        POP     HL
        OR      A
USFCZ:  JP      Z,FCERR         ; an empty format
        PUSH    DE              ; the characters
        EX      DE,HL           ; DE = text pointer
        LD      B,0
        LD      HL,1-US_FMT     ; frame = SP - 35 - length - 1 (+2: the push)
        SBC     HL,BC           ; (carry is clear: OR A above)
        ADD     HL,SP
        PUSH    HL
        POP     IX
        POP     HL              ; HL = the characters
        LD      SP,IX           ; the frame is above the stack now
        PUSH    DE              ; and the text pointer just below it
        LD      (IX+US_LEN),C
        LD      (IX+US_FND),B
        PUSH    HL              ; copy the format into the frame (a string
        CALL    USRST           ; evaluated later cannot move it), 00h after
        EX      DE,HL
        POP     HL
        LDIR
        XOR     A
        LD      (DE),A
        POP     HL              ; HL = the text pointer from here on
; The main loop: print the format up to the next field, print the next item
; in it, then see what follows the item.
USLOOP: PUSH    HL
        CALL    USSCAN          ; to the next field (wrapping), printing text
        POP     HL
        CALL    USITEM          ; evaluate the item, print it in the field
        LD      A,(HL)
        CP      ';'
        JR      Z,USSEP
        CP      ','
        JR      Z,USSEP
        PUSH    HL              ; the list ends: text up to the next field,
        CALL    USTEXT          ; then a new line
        LD      A,0DH
        CALL    USOUT
        JR      USEXIT
USSEP:  RST     10H             ; CHRGET past the separator
        JR      NZ,USLOOP       ; another item
        PUSH    HL              ; ends with ; or ,: no new line
        CALL    USTEXT
USEXIT: CALL    USRST           ; HL = the format, the frame ends after it
        POP     DE              ; DE = text pointer
        LD      C,(IX+US_LEN)
        LD      B,0
        ADD     HL,BC
        INC     HL
        LD      SP,HL           ; drop the frame
        EX      DE,HL
        RET

; USRST: back to the format's first character: HL = US_PTR = IX + US_FMT.
; Uses DE.
USRST:  PUSH    IX
        POP     HL
        LD      DE,US_FMT
        ADD     HL,DE
USPUTP: LD      (IX+US_PTR),L
        LD      (IX+US_PTR+1),H
        RET

; ============================================================================
; USSCAN: print format text up to the next field, starting the format again
; when it ends (?FC when a whole pass finds no field). Returns with the
; field found: C = 0 a number field, else a string field of C characters
; (FFh: the whole string), and US_PTR just after the field.
; USTEXT: the same, but it also stops at the end of the format.
; ============================================================================
USTEXT: LD      E,1
        DB      01H             ; LD BC,nn: skips the LD E,0
USSCAN: LD      E,0
        LD      L,(IX+US_PTR)
        LD      H,(IX+US_PTR+1)
USSC1:  LD      A,(HL)
        OR      A
        JR      NZ,USSC2
        DEC     E               ; the end: USTEXT stops here
        RET     Z
        INC     E
        OR      (IX+US_FND)     ; USSCAN starts again, if there is a field
        JR      Z,USFCZ    ; (its JP Z,FCERR sees the same flag)
        PUSH    DE
        CALL    USRST
        POP     DE
        JR      USSC1
USSC2:  PUSH    DE
        CALL    USFLD
        POP     DE
        JR      C,USSC3
        DEC     E               ; a field: USTEXT stops before it
        RET     Z
        LD      (IX+US_FND),H   ; (not 0)
        JR      USPUTP
USSC3:  LD      A,(HL)          ; a plain character
        CALL    USOUT
        INC     HL
        JR      USSC1

; USFLD: is there a field at HL? If so NC, HL after it, and C as USSCAN
; returns it; if not carry and HL unchanged. Uses AF, B, DE.
USFLD:  LD      C,1
        CP      '!'
        JR      Z,USFL1
        LD      C,0FFH
        CP      '&'
        JR      Z,USFL1
        CP      '%'             ; %  %  or  \  \ : the same character again
        JR      Z,USFL2         ; after nothing but spaces
        CP      '\'
        JR      NZ,USNUMP
USFL2:  PUSH    HL
        LD      C,1
USFL3:  INC     HL
        INC     C
        CP      (HL)
        JR      Z,USFL4
        LD      B,A
        LD      A,(HL)
        CP      ' '
        LD      A,B
        JR      Z,USFL3
        POP     HL              ; not a field
        SCF
        RET
USFL4:  POP     DE
USFL1:  INC     HL
        OR      A               ; NC
        RET

; USNUMP: a number field at HL (A = its first character)? If so NC, C = 0,
; the field's flags and widths in US_FLG, US_BEF, US_AFT, and HL after it.
; Carry (and HL unchanged) if not. A field starts with #, .#, $$ or **, a
; + may come first; the parsing below checks that as it goes.
USNUMP: PUSH    HL              ; (back here if it is no field)
        LD      DE,0            ; C = flags, D = before, E = after
        LD      C,E
        CP      '+'
        JR      NZ,USNM1
        SET     0,C             ; UF_PLUS: the sign is one more position
        INC     D
        INC     HL
        LD      A,(HL)
USNM1:  INC     HL              ; A = the first character, (HL) the second
        CP      '#'
        JR      Z,USNM3D        ; # : on to the digits, from the #
        LD      B,(HL)
        CP      '.'
        JR      NZ,USNM1A
        LD      A,B
        CP      '#'
        JR      Z,USNM3D        ; .# : on to the point, from the .
USNM0:  POP     HL              ; no field
        SCF
        RET
USNM1A: CP      B               ; $$ or ** : a pair, two positions
        JR      NZ,USNM0
        INC     HL
        INC     D
        INC     D
        CP      '$'
        JR      Z,USNM2A        ; $$: one of the two is the $
        CP      '*'
        JR      NZ,USNM0
        SET     1,C             ; UF_FILL
        LD      A,(HL)
        CP      '$'
        JR      NZ,USNM3
        INC     D               ; **$: one more position, for the $
        INC     HL
USNM2A: SET     2,C             ; UF_DOLL
        JR      USNM3
USNM3D: DEC     HL
USNM3:  LD      A,(HL)          ; # and , left of the point
        CP      '#'
        JR      Z,USNM4
        CP      ','
        JR      NZ,USNM5
        SET     3,C             ; UF_COMMA
USNM4:  INC     D
        INC     HL
        JR      USNM3
USNM5:  CP      '.'
        JR      NZ,USNM7
        SET     4,C             ; UF_POINT
USNM6:  INC     HL              ; # right of the point
        LD      A,(HL)
        CP      '#'
        JR      NZ,USNM7
        INC     E
        JR      USNM6
USNM7:  LD      B,4             ; ^^^^ ?
        PUSH    HL
USNM8:  LD      A,(HL)
        CP      US_UPARR
        JR      NZ,USNM9
        INC     HL
        DJNZ    USNM8
        SET     5,C             ; UF_EXP: keep the position after them
        EX      (SP),HL
USNM9:  POP     HL              ; (fewer than four: back)
        BIT     0,C             ; a trailing sign, when none leads
        JR      NZ,USNMX
        LD      A,(HL)
        CP      '+'
        JR      NZ,USNM10
        SET     6,C             ; UF_TPLUS
        INC     HL
USNM10: CP      '-'
        JR      NZ,USNMX
        SET     7,C             ; UF_TMIN
        INC     HL
USNMX:  LD      (IX+US_FLG),C
        LD      (IX+US_BEF),D
        LD      (IX+US_AFT),E
        POP     DE              ; (drop the start kept for "no field")
        LD      C,0
        OR      A               ; NC
        RET

; ============================================================================
; USITEM: evaluate the next item of the list and print it in the field that
; USSCAN found (C = 0 a number field, else a string field C wide, FFh the
; whole string). A string in a number field or a number in a string field
; is ?TM. HL = the text pointer, in and out (kept while the item prints).
; ============================================================================
; ---- (the next 15 bytes go into the free bytes at 1A0Ah, before BASIC's
; fixed 1A19h: code reached only by CALL, so it may live anywhere) ----
MVBACK  DEFL    $               ; where the main run goes on
        ORG     1A0AH
USITEM: PUSH    BC
        PUSH    IX
        CALL    EVAL            ; HL = the text pointer, in and out
        POP     IX
        POP     BC
        PUSH    HL
        CALL    USITM1
        POP     HL
        RET
GAP1A0A DEFL    $               ; the next free byte at 1A0Ah
        ORG     MVBACK          ; back to the main run
USITM1: RST     20H             ; GETYPE: Z for a string
        LD      A,C
        JR      Z,USSTRI
        OR      A
        JP      NZ,TMERR
        JR      USNUMI
USSTRI: OR      A
        JP      Z,TMERR
        PUSH    BC
        CALL    FREFAC          ; A = C = length, DE = characters
        POP     BC
        LD      B,A             ; B = length, C = the field's width
        LD      A,C             ; & (FFh): as wide as the string
        INC     A
        JR      NZ,USSTR4
        LD      C,B
USSTR4: LD      A,C             ; C characters: the string's, then spaces
        OR      A
        RET     Z
        LD      A,' '
        INC     B
        DEC     B
        JR      Z,USSTR5
        LD      A,(DE)
        INC     DE
        DEC     B
USSTR5: CALL    USOUT
        DEC     C
        JR      USSTR4

; A number: its digits, rounded to the field, then printed.
USNUMI: CALL    USDIGS
        BIT     5,(IX+US_FLG)
        JR      Z,USNFX
        LD      A,(IX+US_FLG)   ; the ^^^^ form: D digits before the point,
        AND     UF_TPLUS+UF_TMIN ; the field's less one for the sign, unless
        LD      A,(IX+US_BEF)   ; the sign comes at the end
        JR      NZ,USNE1
        DEC     A
        JP      P,USNE1
        XOR     A
USNE1:  PUSH    AF
        ADD     A,(IX+US_AFT)   ; D + AFT significant digits
        CALL    USRND
        POP     DE
        LD      A,(IX+US_EXP)   ; the exponent shown: EXP - D (0 for 0) ...
        SUB     D
        LD      (IX+US_XP),A
        LD      (IX+US_EXP),D   ; ... and D digits before the point
        XOR     A
        OR      (IX+US_N)
        JR      NZ,USNF1
        LD      (IX+US_XP),A
        JR      USNF1
USNFX:  LD      A,(IX+US_EXP)   ; round to the digits right of the point
        ADD     A,(IX+US_AFT)
        CALL    USRND
USNF1:
        LD      A,(IX+US_N)     ; D = digits left of the point
        OR      A
        JR      Z,USFX1         ; (none when the value is 0)
        LD      A,(IX+US_EXP)
        OR      A
        JP      P,USFX1
        XOR     A
USFX1:  LD      D,A
        LD      E,A             ; E = characters left of the point
        BIT     3,(IX+US_FLG)   ; commas: (D - 1) / 3 of them
        JR      Z,USFX3
        OR      A
        JR      Z,USFX3
        DEC     A
USFX2:  SUB     3
        JR      C,USFX3
        INC     E
        JR      USFX2
USFX3:  CALL    USLEAD          ; a sign in front
        OR      A
        JR      Z,USFX4
        INC     E
USFX4:  BIT     2,(IX+US_FLG)   ; a $
        JR      Z,USFX5
        INC     E
USFX5:  LD      L,0             ; L = 1: print a 0 left of the point
        LD      A,D
        OR      A
        JR      NZ,USFX6
        LD      A,E
        CP      (IX+US_BEF)
        JR      NC,USFX6
        INC     E
        INC     L
USFX6:  LD      A,(IX+US_BEF)   ; B = padding
        SUB     E
        JR      NC,USFX7
        LD      A,'%'           ; too wide: % and the whole number
        CALL    USOUT
        XOR     A
USFX7:  LD      B,A
        LD      C,' '
        BIT     1,(IX+US_FLG)
        JR      Z,USFX8
        LD      C,'*'
USFX8:  CALL    USPAD
        CALL    USLEAD          ; sign
        OR      A
        CALL    NZ,USOUT
        BIT     2,(IX+US_FLG)   ; $
        LD      A,'$'
        CALL    NZ,USOUT
        DEC     L               ; 0
        LD      A,'0'
        CALL    Z,USOUT
        LD      C,D             ; the digits left of the point
        LD      A,(IX+US_FLG)
        AND     UF_COMMA
        LD      H,A
        XOR     A
        CALL    USPDIG
        LD      H,0             ; the point and the digits after it
        LD      A,(IX+US_EXP)       ; (on into USPNT)

; The point (if the field has one) and the digits after it from index A;
; then E+nn in the ^^^^ form; then the trailing sign.
USPNT:  BIT     4,(IX+US_FLG)
        JR      Z,USPN1
        PUSH    AF
        LD      A,'.'
        CALL    USOUT
        POP     AF
        LD      C,(IX+US_AFT)
        CALL    USPDIG
USPN1:  BIT     5,(IX+US_FLG)
        JR      Z,USTRAIL
        LD      A,'E'
        CALL    USOUT
        LD      A,(IX+US_XP)
        LD      C,'+'
        OR      A
        JP      P,USPN2
        NEG
        LD      C,'-'
USPN2:  LD      B,A
        LD      A,C
        CALL    USOUT
        LD      A,B
        LD      C,'0'-1         ; two digits
USPN3:  INC     C
        SUB     10
        JR      NC,USPN3
        ADD     A,'0'+10
        LD      B,A
        LD      A,C
        CALL    USOUT
        LD      A,B
        CALL    USOUT
; A trailing + or - from the field.
USTRAIL: LD     A,(IX+US_FLG)
        AND     UF_TPLUS+UF_TMIN
        RET     Z
        LD      C,A
        LD      A,(IX+US_NEG)   ; '-' (negative) or 0
        OR      A
        JR      NZ,USTRL1
        LD      A,'+'
        BIT     6,C
        JR      NZ,USTRL1
        LD      A,' '
USTRL1: JP      USOUT

; A = the sign to print in front of the number: + or - with a leading +,
; - for a negative number when the field has no sign of its own, else 0.
USLEAD: LD      A,(IX+US_FLG)
        BIT     0,A
        JR      NZ,USLD1
        AND     UF_TPLUS+UF_TMIN
        LD      A,0
        RET     NZ
        OR      (IX+US_NEG)     ; US_NEG holds the '-' itself, or 0
        RET
USLD1:  LD      A,(IX+US_NEG)
        OR      A
        RET     NZ
        LD      A,'+'
        RET

; ---- (the next 9 bytes go into the firmware's free bytes at 0668h: code
; reached only by CALL, so it may live anywhere) ----
MVBACK  DEFL    $               ; where the main run goes on
        ORG     0668H
; Print B copies of C.
USPAD:  INC     B
USPAD1: DEC     B
        RET     Z
        LD      A,C
        CALL    USOUT
        JR      USPAD1
GAP0668 DEFL    $               ; the next free byte at 0668h
        ORG     MVBACK          ; back to the main run
; ---- (the next 35 bytes go into the firmware's free bytes at 039Fh: code
; reached only by CALL and JP, so it may live anywhere) ----
MVBACK  DEFL    $               ; where the main run goes on
        ORG     039FH

; USPDIG: print C digits, from index A of the digit string ('0' for an
; index outside it). With H not 0, a comma after each digit that leaves a
; multiple of three digits still to print.
USPDIG: LD      E,A
USPD1:  LD      A,C
        OR      A
        RET     Z
        LD      A,E
        CALL    USDIGA
        CALL    USOUT
        INC     E
        DEC     C
        LD      A,H
        OR      A
        JR      Z,USPD1
        LD      A,C
        OR      A
        RET     Z
USPD2:  SUB     3
        JR      Z,USPD3
        JR      NC,USPD2
        JR      USPD1
USPD3:  LD      A,','
        CALL    USOUT
        JR      USPD1
GAP039F DEFL    $               ; the next free byte at 039Fh
        ORG     MVBACK          ; back to the main run

; A = the digit at index A (signed) of the digit string, '0' outside it.
USDIGA: CP      (IX+US_N)       ; (a negative index, 80h-FFh, is above any
        JR      NC,USDG1        ; count of digits, at most 24)
        PUSH    HL
        PUSH    IX
        POP     HL
        ADD     A,L             ; HL = IX + A: the digit
        LD      L,A
        JR      NC,USDG2
        INC     H
USDG2:  LD      A,(HL)
        POP     HL
        RET
USDG1:  LD      A,'0'
        RET

; USDIGS: the digits of the number in FAC: US_DIG/US_N its significant
; digits (ASCII), US_EXP the decimal exponent (value = 0.digits x 10^exp),
; US_NEG the sign. The maths part's FPDGT (FOUT's first half) gives 16
; digits of the value made double; a single's are rounded to 7, the digits
; it holds (FRCDBL shows digits a single never held: .1 is .100000001490116).
USDIGS: LD      A,(ST_VALTYP)
        CP      8
        PUSH    AF              ; NZ (not a double): 7 digits at the end
        CALL    NZ,FRCDBL       ; every digit the value holds
        LD      A,(US_FHI)      ; US_NEG = '-' when the sign bit is set, else 0
        RLA                     ; (the sign bit into the carry,
        SBC     A,A             ; 00h or FFh from it,
        AND     '-'             ; 00h or '-')
        LD      (IX+US_NEG),A
        LD      A,(US_FEXP)     ; exponent 0: the number 0, no digits
        OR      A
        LD      (IX+US_N),A     ; (a count other than 0 is set below)
        JR      Z,USDS6
        CALL    FPDGT           ; E = 16 digits at US_FDIG, D = the power of
        INC     D               ; ten of the first: exp = D + 1
        LD      (IX+US_EXP),D
        LD      (IX+US_N),E
        PUSH    IX              ; copy the digits to the frame's US_DIG
        POP     DE
        LD      HL,US_FDIG
        LD      BC,16
        LDIR
USDS6:  POP     AF
        RET     Z
        LD      A,7             ; a single: 7 digits

; USRND: keep the first A digits (A signed), rounding the rest away (half
; up). A carry out of the first digit makes the digits "1" and the exponent
; one more. Uses BC, DE, HL.
USRND:  BIT     7,A
        JR      NZ,USRN4        ; nothing kept: the value is 0
        CP      (IX+US_N)
        RET     NC              ; all digits kept
        LD      (IX+US_N),A
        LD      E,A
        LD      D,0
        PUSH    IX
        POP     HL
        ADD     HL,DE           ; HL = the first digit dropped
        LD      A,(HL)
        CP      '5'
        RET     C               ; round down
        LD      B,E
USRN1:  INC     B               ; round up: add 1 from the last kept digit
        DEC     B
        JR      Z,USRN3
        DEC     HL
        DEC     B
        LD      A,(HL)
        INC     A
        CP      '9'+1
        JR      C,USRN2
        LD      (HL),'0'        ; 9 + 1: 0, carry on
        JR      USRN1
USRN2:  LD      (HL),A
        RET
USRN3:  LD      (IX+US_DIG),'1' ; 999 + 1 = 1000
        LD      (IX+US_N),1
        INC     (IX+US_EXP)
        RET
USRN4:  LD      (IX+US_N),0
        RET

