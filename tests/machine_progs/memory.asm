; Writes to ROM, to the unmapped space, to the top of RAM and past it, and
; reads each back, for tests/test_machine.py (TRS80-REFERENCE.md section 1).
        ORG     4800H
OUT     EQU     4F00H
START:  DI
        LD      HL,0100H        ; ROM: the write is ignored
        LD      A,(HL)
        CPL
        LD      (HL),A
        LD      A,(HL)
        LD      (OUT+0),A
        LD      A,55H           ; 3000h-37DFh: nothing there, reads FFh
        LD      (3000H),A
        LD      A,(3000H)
        LD      (OUT+1),A
        LD      A,0A5H          ; the last RAM byte of a 4 KB machine
        LD      (4FFFH),A
        LD      A,(4FFFH)
        LD      (OUT+2),A
        LD      A,5AH           ; the first byte past it
        LD      (5000H),A
        LD      A,(5000H)
        LD      (OUT+3),A
        LD      A,5AH           ; the top of the address space
        LD      (0FFFFH),A
        LD      A,(0FFFFH)
        LD      (OUT+4),A
        LD      A,(3800H)       ; keyboard, no row selected: 00h
        LD      (OUT+5),A
        LD      A,0AAH
        LD      (OUT+15),A
STOP:   JR      STOP
        END     START
