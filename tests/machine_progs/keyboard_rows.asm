; Reads the keyboard window the ways programs do and stores what it saw,
; for tests/test_keyboard_machine.py. TRS80-REFERENCE.md section 2.1: row n
; is selected by address bit n, several rows OR together, 3900h-3BFFh mirror.
        ORG     5000H
OUT     EQU     6000H
START:  DI
        LD      HL,READS        ; addresses to read, ending with 0000h
        LD      DE,OUT
NEXT:   LD      C,(HL)
        INC     HL
        LD      B,(HL)
        INC     HL
        LD      A,B
        OR      C
        JR      Z,DONE
        LD      A,(BC)          ; read the keyboard
        LD      (DE),A
        INC     DE
        JR      NEXT
DONE:   LD      A,0AAH          ; finished marker
        LD      (OUT+15),A
STOP:   JR      STOP
READS:  DW      3801H,3802H,3804H,3808H,3810H,3820H,3840H,3880H
        DW      3803H,38FFH,3800H,3901H,3A82H,3BFFH,0
        END     START
