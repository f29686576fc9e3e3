; The Expansion Interface heartbeat, for tests/test_machine.py
; (TRS80-REFERENCE.md section 7.2). Part 1 polls the latch with interrupts
; off: bit 7 appears every 25 ms and a read clears it. Part 2 takes the
; interrupt in IM 1 through 0038h and the RAM vector at 4012h.
        ORG     5000H
POLLS   EQU     6000H           ; heartbeats seen by polling
LAST    EQU     6001H           ; the latch read straight after one was seen
INTS    EQU     6002H           ; interrupts taken
DONE    EQU     600FH
START:  DI
        XOR     A
        LD      (POLLS),A
        LD      (INTS),A
        LD      B,10            ; poll ten heartbeats
POLL:   LD      A,(37E0H)
        RLCA
        JR      NC,POLL
        LD      A,(37E0H)       ; read again at once: cleared
        LD      (LAST),A
        LD      HL,POLLS
        INC     (HL)
        DJNZ    POLL
        LD      A,0C3H          ; JP HANDLER at 4012h
        LD      (4012H),A
        LD      HL,HANDLER
        LD      (4013H),HL
        IM      1
        EI
WAIT:   LD      A,(INTS)
        CP      20
        JR      C,WAIT
        DI
        LD      A,0AAH
        LD      (DONE),A
STOP:   JR      STOP
HANDLER: PUSH   AF
        LD      A,(37E0H)       ; clears the latch, releasing INT
        LD      A,(INTS)
        INC     A
        LD      (INTS),A
        POP     AF
        EI
        RETI
        END     START
