; BASIC (1000h-2FFFh, plus Level II's fixed slots at 0A7Fh-0AFFh).
; A stand-in until the interpreter arrives: READY, then echo the keys typed.
;
; What the rest of the ROM expects from this file:
;   BASIC   cold start, jumped to once the machine is set up (never returns)
;   SYNCHR, CHRGET, GETYPE   the RST 08h, 10h and 20h handlers (RAM vectors
;                            4000h, 4003h, 4009h point at them)
        ORG     1000H
BASIC:  LD      HL,READYMSG
        CALL    PRINT
; The echo loop: show every key typed. CLEAR clears the screen, BREAK starts
; a new line, the right arrow moves to the next tab stop (every 8 columns).
; ============================================================================
ECHO:   CALL    KBWAIT
        CP      1FH             ; CLEAR
        JR      NZ,ECHO1
        CALL    CLS
        JR      ECHO
ECHO1:  CP      01H             ; BREAK
        JR      NZ,ECHO2
        LD      A,0DH
ECHO2:  CP      09H             ; right arrow: tab
        JR      NZ,ECHO4
ECHO3:  LD      A,' '
        CALL    VDCHAR
        LD      A,(CURSOR)
        AND     07H
        JR      NZ,ECHO3
        JR      ECHO
ECHO4:  CALL    VDCHAR
        JR      ECHO


READYMSG: DB    "READY",0DH,0

SYNCHR:                         ; not yet: BASIC's RST 08h/10h/20h handlers
CHRGET:
GETYPE: RET
