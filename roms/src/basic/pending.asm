; Stand-ins (IFNDEF) for entry points another part of BASIC has not written
; yet, so that the ROM assembles at every commit (ABI.md). Each gives ?SN
; ERROR (or does nothing, for the housekeeping calls) until its owner
; defines the label. Included last.

; ---- maths part -------------------------------------------------------------
; While fp.asm is not included (see ABI.md, ROM budget), integers only:
; + - * and compare, number text in and out; the rest is ?SN ERROR.
        IFNDEF  FIN
; FIN: HL at a number (optional sign; digits only) -> integer FAC; HL after.
FIN:    CALL    CHRGOT
        LD      C,A             ; C = the sign character
        CP      T_MINUS
        JR      Z,FIN0
        CP      '-'
        JR      Z,FIN0
        CP      T_PLUS
        JR      Z,FIN0
        CP      '+'
        JR      NZ,FIN1
FIN0:   RST     10H
FIN1:   LD      DE,0
FIN2:   LD      A,(HL)
        SUB     '0'
        CP      10
        JR      NC,FIN3
        PUSH    HL
        LD      H,D
        LD      L,E
        ADD     HL,HL
        ADD     HL,HL
        ADD     HL,DE
        ADD     HL,HL
        LD      E,A
        LD      D,0
        ADD     HL,DE
        EX      DE,HL
        POP     HL
        BIT     7,D
        JP      NZ,OVERR
        INC     HL
        JR      FIN2
FIN3:   EX      DE,HL
        LD      A,C
        CP      T_MINUS
        JR      Z,FIN4
        CP      '-'
        JR      NZ,FIN5
FIN4:   CALL    INEGHL
FIN5:   CALL    SETINT
        EX      DE,HL
        JP      CHRGOT
        ENDIF
        IFNDEF  FOUT
; FOUT: integer FAC -> HL = " 123" / "-123", ending 00h.
FOUT:   LD      HL,(FAC)
        LD      A,' '
        BIT     7,H
        JR      Z,FOUT1
        CALL    INEGHL
        LD      A,'-'
FOUT1:  PUSH    AF
        CALL    NUMTXT
        POP     AF
        DEC     HL
        LD      (HL),A
        RET
        ENDIF
        IFNDEF  IADD
IADD:   OR      A
        ADC     HL,DE
        JP      PE,OVERR
        JP      SETINT
ISUB:   EX      DE,HL
        OR      A
        SBC     HL,DE
        JP      PE,OVERR
        JP      SETINT
IMUL:   LD      A,H
        XOR     D
        PUSH    AF
        BIT     7,H
        CALL    NZ,INEGHL
        EX      DE,HL
        BIT     7,H
        CALL    NZ,INEGHL
        LD      B,H
        LD      C,L
        CALL    UMUL
        BIT     7,H
        JP      NZ,OVERR
        POP     AF
        CALL    M,INEGHL
        JP      SETINT
ICMP:   LD      A,D
        XOR     80H
        LD      D,A
        LD      A,H
        XOR     80H
        LD      H,A
        EX      DE,HL
        OR      A
        SBC     HL,DE
        LD      A,0
        RET     Z
        SBC     A,A
        OR      1
        RET
; INEGHL: HL = -HL.
INEGHL: XOR     A
        SUB     L
        LD      L,A
        SBC     A,A
        SUB     H
        LD      H,A
        RET
        ENDIF
        IFNDEF  FRCINT
FRCINT: RST     20H
        JP      P,SNERR
        LD      HL,(FAC)
        RET
        ENDIF
        IFNDEF  NEGFAC
NEGFAC: LD      HL,(FAC)
        LD      A,H
        CP      80H
        JR      NZ,NEGF1
        OR      L
        JP      Z,OVERR
NEGF1:  CALL    INEGHL
        JP      SETINT
        ENDIF
        IFNDEF  POWER           ; ^: BCDE ^ FAC (single)
POWER   EQU     SNERR
        ENDIF
        IFNDEF  SADD
SADD    EQU     SNERR
        ENDIF
        IFNDEF  SSUB
SSUB    EQU     SNERR
        ENDIF
        IFNDEF  SMUL
SMUL    EQU     SNERR
        ENDIF
        IFNDEF  SDIV
SDIV    EQU     SNERR
        ENDIF
        IFNDEF  SCMP
SCMP    EQU     SNERR
        ENDIF
        IFNDEF  DADD
DADD    EQU     SNERR
        ENDIF
        IFNDEF  DSUB
DSUB    EQU     SNERR
        ENDIF
        IFNDEF  DMUL
DMUL    EQU     SNERR
        ENDIF
        IFNDEF  DDIV
DDIV    EQU     SNERR
        ENDIF
        IFNDEF  DCMP
DCMP    EQU     SNERR
        ENDIF
        IFNDEF  FRCSNG
FRCSNG  EQU     SNERR
DEFTYP  EQU     2               ; integers only: variables are integers
        ELSE
DEFTYP  EQU     4               ; single precision by default (Level II)
        ENDIF
        IFNDEF  FRCDBL
FRCDBL  EQU     SNERR
        ENDIF

; Helpers the core borrows from the maths part, or its own when fp.asm is out.
        IFNDEF  SETINT
        IFDEF   FPINT
SETINT  EQU     FPINT           ; FAC = the integer HL
        ELSE
SETINT: LD      (FAC),HL
        LD      A,2
        LD      (VALTYP),A
        RET
        ENDIF
        ENDIF
        IFNDEF  FPSGN           ; A = FFh, 0, 1: the FAC's sign (integer)
FPSGN:  LD      A,(FAC)
        LD      B,A
        LD      A,(FAC+1)
        OR      B
        RET     Z
        LD      A,(FAC+1)
        RLA
        SBC     A,A
        OR      1
        RET
        ENDIF
        IFNDEF  FACARG          ; ARG = FAC / FAC = ARG (8 bytes)
FACARG: LD      HL,DFAC
        LD      DE,ARG
        JR      ARGFC9
ARGFAC: LD      HL,ARG
        LD      DE,DFAC
ARGFC9: LD      BC,8
        LDIR
        RET
        ENDIF

; ---- strings part -----------------------------------------------------------
        IFNDEF  STRLIT
STRLIT  EQU     SNERR
        ENDIF
        IFNDEF  STRLT2
STRLT2  EQU     SNERR
        ENDIF
        IFNDEF  STRCAT
STRCAT  EQU     SNERR
        ENDIF
        IFNDEF  STRCMP
STRCMP  EQU     SNERR
        ENDIF
        IFNDEF  STRASG
STRASG  EQU     SNERR
        ENDIF
        IFNDEF  STROUT
STROUT  EQU     SNERR
        ENDIF
        IFNDEF  STRSET
STRSET  EQU     SNERR
        ENDIF
        IFNDEF  STRCLR          ; RUN/NEW/CLEAR: empty string space
STRCLR: RET
        ENDIF
        IFNDEF  TMPCLR          ; ERROR/READY: no temporaries
TMPCLR: RET
        ENDIF

; ---- statements part --------------------------------------------------------
        IFNDEF  USING
USING   EQU     SNERR
        ENDIF
        IFNDEF  FACADR
FACADR  EQU     SNERR
        ENDIF
        IFNDEF  RETINT          ; 0A9Ah: HL -> FAC as an integer
RETINT  EQU     SETINT
        ENDIF
        IFNDEF  USOUT           ; using.asm's: A to the current device
USOUT   EQU     OUTCHR
        ENDIF
