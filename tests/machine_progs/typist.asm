; Stores every key the ROM's keyboard routine (002Bh) returns, for the
; typing-queue test in tests/test_keyboard_machine.py: a text typed through
; the queue must arrive whole, each character once, in order.
        ORG     5000H
BUFFER  EQU     6000H
COUNT   EQU     5FFEH           ; characters stored so far
START:  LD      HL,0
        LD      (COUNT),HL
        LD      DE,BUFFER
WAIT:   PUSH    DE
        CALL    002BH           ; scan the keyboard once: A = key or 0 (uses DE)
        POP     DE
        OR      A
        JR      Z,WAIT
        LD      (DE),A
        INC     DE
        LD      HL,(COUNT)
        INC     HL
        LD      (COUNT),HL
        JR      WAIT
        END     START
