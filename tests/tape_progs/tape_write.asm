; Writes COUNT bytes from SOURCE to tape as Level II's CSAVE does (ROM 01D9h,
; 0264h; TRS80-REFERENCE.md §4.2): each bit is a clock pulse (port FFh output
; high, then low, then at rest), and a 1 has a second, data pulse after it; a 0
; waits instead. Most significant bit first. The motor runs while it writes;
; DONE is set to AAh at the end.
        ORG     7000H
SOURCE  EQU     7800H
DONE    EQU     77FFH
START:  DI
        LD      A,04H           ; motor on
        OUT     (0FFH),A
        LD      HL,SOURCE
        LD      BC,(COUNT)
WRITE:  LD      A,(HL)
        CALL    PUTBYTE
        INC     HL
        DEC     BC
        LD      A,B
        OR      C
        JR      NZ,WRITE
        XOR     A               ; motor off: the recording ends
        OUT     (0FFH),A
        LD      A,0AAH
        LD      (DONE),A
IDLE:   JR      IDLE
PUTBYTE:
        PUSH    HL
        PUSH    BC
        PUSH    DE
        PUSH    AF
        LD      C,8
        LD      D,A
BIT:    CALL    PULSE           ; the clock pulse
        LD      A,D
        RLCA
        LD      D,A
        JR      NC,ZERO
        CALL    PULSE           ; a 1: the data pulse
NEXT:   DEC     C
        JR      NZ,BIT
        POP     AF
        POP     DE
        POP     BC
        POP     HL
        RET
ZERO:   LD      B,87H           ; a 0: as long as a pulse takes
DELAY:  DJNZ    DELAY
        JR      NEXT
PULSE:  LD      A,05H           ; output high (motor on)
        OUT     (0FFH),A
        LD      B,0BH
UP:     DJNZ    UP
        LD      A,06H           ; output low
        OUT     (0FFH),A
        LD      B,0BH
DOWN:   DJNZ    DOWN
        LD      A,04H           ; at rest
        OUT     (0FFH),A
        LD      B,5CH
REST:   DJNZ    REST
        RET
COUNT:  DW      0
        END     START
