; Clear the TRS-80 screen, draw a border of graphics blocks and print a
; centred title.  Level II: run with SYSTEM, then / (entry at START).
; Exercises EQU arithmetic, HIGH/LOW, MOD, macros with parameters and
; IF/ELSE/ENDIF.

VIDEO:    EQU 3C00H              ; top-left of the 64x16 screen
COLS:     EQU 64
ROWS:     EQU 16
SCRSIZE:  EQU COLS*ROWS
BLOCK:    EQU 80H+3FH            ; all six pixels lit
KBROW7:   EQU 3880H              ; keyboard row 7 (shift keys)
WIDE:     EQU 0                  ; 1 for the 32-column character set

; PRINTAT row,col,message: print a zero-terminated string at a position
PRINTAT:  MACRO row,col,msg
          LD HL,msg
          LD DE,VIDEO+(row)*COLS+(col)
          CALL PUTS
          ENDM

          ORG 7000H
START:    DI
          LD SP,STACK
          LD A,WIDE*8            ; port FFh bit 3 selects 32 columns
          OUT (0FFH),A
          CALL CLS
          CALL BORDER
          PRINTAT 7,(COLS-TITLEN)/2,TITLE
          PRINTAT 9,20,PROMPT
WAIT:     LD A,(KBROW7)
          AND 01H                ; left shift key
          JR Z,WAIT
          IF WIDE
          XOR A
          OUT (0FFH),A
          ENDIF
          EI
          JP 1A19H               ; back to BASIC's READY

; fill the screen with spaces
CLS:      LD HL,VIDEO
          LD DE,VIDEO+1
          LD BC,SCRSIZE-1
          LD (HL),' '
          LDIR
          RET

; top and bottom rows of blocks, then the sides
BORDER:   LD HL,VIDEO
          LD DE,VIDEO+(ROWS-1)*COLS
          LD B,COLS
BTOP:     LD (HL),BLOCK
          LD A,BLOCK
          LD (DE),A
          INC HL
          INC DE
          DJNZ BTOP
          LD HL,VIDEO+COLS
          LD DE,COLS-1
          LD B,ROWS-2
BSIDE:    LD (HL),BLOCK
          ADD HL,DE
          LD (HL),BLOCK
          INC HL
          DJNZ BSIDE
          RET

; copy (HL) to (DE) up to a zero byte
PUTS:     LD A,(HL)
          OR A
          RET Z
          LD (DE),A
          INC HL
          INC DE
          JR PUTS

TITLE:    DEFM "Z80EMU ON THE TRS-80"
TITLEN:   EQU $-TITLE
          DEFB 0
PROMPT:   DEFB "PRESS SHIFT",0
VERSION:  DEFB HIGH 0102H, LOW 0102H, 17 MOD 5, 'A'+1, %1010
PAGE:     DEFW VIDEO, SCRSIZE, START, $
          DEFS 64
STACK:    EQU $
          END START
