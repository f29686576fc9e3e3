; Reads a tape as Level II's cassette routines do (TRS80-REFERENCE.md §4.2,
; ROM 0235h-02A8h): wait until a clock pulse sets the cassette flip-flop (port
; FFh bit 7), wait about 0.7 ms, clear the flip-flop with a write to port FFh,
; wait about 1 ms more and sample it again: set means a data pulse came, a 1.
; Bits are shifted in until the last eight read A5h (the sync byte); then COUNT
; bytes are stored at BUFFER, the motor is stopped and DONE is set to AAh.
        ORG     7000H
BUFFER  EQU     7800H
DONE    EQU     77FFH
MOTOR   EQU     04H             ; port FFh: motor on, output at rest
START:  DI                      ; no interrupts: the timing loops count T-states
        LD      A,MOTOR
        OUT     (0FFH),A
        XOR     A
SYNC:   CALL    GETBIT          ; shift bits into A until it holds the sync byte
        CP      0A5H
        JR      NZ,SYNC
        LD      HL,BUFFER
        LD      BC,(COUNT)
READ:   CALL    GETBYTE
        LD      (HL),A
        INC     HL
        DEC     BC
        LD      A,B
        OR      C
        JR      NZ,READ
        XOR     A               ; motor off
        OUT     (0FFH),A
        LD      A,0AAH
        LD      (DONE),A
IDLE:   JR      IDLE
GETBYTE:
        PUSH    BC
        LD      B,8
NEXTBIT:
        CALL    GETBIT
        DJNZ    NEXTBIT
        POP     BC
        RET
; Shift one bit from the tape into A (carry and B are used, the rest kept).
GETBIT: PUSH    BC
        PUSH    AF
CLOCK:  IN      A,(0FFH)        ; wait for the clock pulse
        RLA
        JR      NC,CLOCK
        LD      B,96            ; about 703 us
WAIT1:  DJNZ    WAIT1
        LD      A,MOTOR         ; any write clears the flip-flop
        OUT     (0FFH),A
        LD      B,133           ; about 975 us
WAIT2:  DJNZ    WAIT2
        IN      A,(0FFH)        ; bit 7 set: a data pulse came, the bit is 1
        LD      B,A
        POP     AF
        RL      B
        RLA
        PUSH    AF
        LD      A,MOTOR         ; clear the flip-flop for the next clock pulse
        OUT     (0FFH),A
        POP     AF
        POP     BC
        RET
COUNT:  DW      0               ; the test pokes the number of bytes to read
        END     START
