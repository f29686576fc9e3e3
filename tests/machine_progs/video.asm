; Writes video RAM and port FFh and reads back what the hardware kept, for
; tests/test_video_machine.py (TRS80-REFERENCE.md sections 3.2, 3.3, 4.1).
        ORG     5000H
OUT     EQU     6000H
START:  DI
        LD      HL,3C00H        ; top left: "HI", then codes that lose bit 6
        LD      (HL),'H'
        INC     HL
        LD      (HL),'I'
        INC     HL
        LD      (HL),01H        ; no bit 5 or 7: bit 6 comes back, shows A
        LD      A,(HL)
        LD      (OUT+0),A
        INC     HL
        LD      (HL),61H        ; lowercase a: bit 5 set, bit 6 dropped (21h)
        LD      A,(HL)
        LD      (OUT+1),A
        INC     HL
        LD      (HL),0C5H       ; C0h-FFh: bit 6 dropped, graphics 85h
        LD      A,(HL)
        LD      (OUT+2),A
        LD      HL,3C40H        ; second line: block graphics 80h..BFh
        LD      A,80H
        LD      B,64
GRAPH:  LD      (HL),A
        INC     HL
        INC     A
        DJNZ    GRAPH
        IN      A,(0FFH)        ; 64 columns: bit 6 set
        LD      (OUT+3),A
        LD      A,08H           ; 32-column mode
        OUT     (0FFH),A
        IN      A,(0FFH)
        LD      (OUT+4),A
        LD      A,0AAH
        LD      (OUT+15),A
STOP:   JR      STOP
        END     START
