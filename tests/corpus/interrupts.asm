; Interrupt mode 2 with a vector table, an interrupt handler that uses the
; alternate registers, block I/O to a serial port and a delay loop counted
; in T-states.  Conditional assembly selects the port set.

RS232:    EQU 1
          IF RS232
DATAPORT: EQU 0EBH
STATPORT: EQU 0EAH
          ELSE
DATAPORT: EQU 10H
STATPORT: EQU 11H
          ENDIF
VECTOR:   EQU 0FEH

          ORG 6000H
INIT:     DI
          IM 2
          LD A,HIGH VECTAB
          LD I,A
          LD HL,ISR
          LD (VECTAB+VECTOR),HL
          XOR A
          LD (TICKS),A
          EI
          HALT
          CALL SENDBUF
          CALL RECVBUF
          JP DELAY

; 256-byte aligned vector table
          DS (($+0FFH) AND 0FF00H)-$
VECTAB:   DS 256

ISR:      EX AF,AF'
          EXX
          LD HL,TICKS
          INC (HL)
          LD A,(HL)
          AND 3FH
          JR NZ,ISREXIT
          LD IX,COUNTER
          INC (IX+1)
          LD IY,COUNTER
          DEC (IY+2)
ISREXIT:  EXX
          EX AF,AF'
          EI
          RETI

NMI:      PUSH AF
          LD A,I
          LD A,R
          POP AF
          RETN

; send the 16-byte buffer
SENDBUF:  LD HL,BUFFER
          LD C,DATAPORT
          LD B,16
          OTIR
          LD HL,BUFFER+15
          LD B,16
          OTDR
          LD HL,BUFFER
          LD B,4
SLOOP:    OUTI
          JR NZ,SLOOP
          OUTD
          RET

; receive into the buffer, both directions
RECVBUF:  LD HL,BUFFER
          LD C,DATAPORT
          LD B,16
          INIR
          LD B,16
          INDR
          INI
          IND
          IN A,(STATPORT)
          IN B,(C)
          OUT (C),B
          OUT (STATPORT),A
          RET

; about 1 ms at 1.774 MHz: 1774 T-states
DELAY:    LD B,136               ; 7
DLOOP:    NOP                    ; 4
          DJNZ DLOOP             ; 13/8
          RET                    ; 10

TICKS:    DEFB 0
COUNTER:  DEFB 0,0,0
BUFFER:   DEFM "0123456789ABCDEF"
          END INIT
