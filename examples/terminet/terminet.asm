; TERMINET.ASM - print from Level II BASIC on a GE TermiNet 300 through the
; Radio Shack RS-232-C interface (26-1145), at 300 baud, 30 characters a second.
;
; Original code for z80emu (MIT licence). Assemble with `z80emu asm`, or type
; the hand-assembled bytes (the ADDR and BYTES columns of the comments) into
; memory with POKE, the monitor, or TERMINET.BAS beside this file.
;
; Where it lives: 7F00h-7F52h, the top of a 16K machine. Answer MEMORY SIZE?
; with 32511 so BASIC keeps out of it (larger machines work the same way).
;
; What it does (facts: TRS80-REFERENCE.md 6.4, 8.2, 9.2-9.5, 10.3):
; - SETUP (7F00h) resets the UART (any OUT to E8h), programs the baud-rate
;   generator for 300 baud out and in (55h to E9h), sets 8 data bits, no
;   parity, 1 stop bit, no break (6Ch to EAh), and hooks the printer device
;   control block by storing DRIVER's address in 4026h-4027h. It ends with RET,
;   so call it with X=USR(0) after POKE 16526,0:POKE 16527,127, or from your
;   own code. (TERMINET.BAS does the same with OUT and POKE instead.)
; - From then on LPRINT and LLIST go through the ROM's CIO dispatcher to
;   DRIVER with the character in C, IX = 4025h and Z set (an output request).
;   DRIVER returns the character in A; CIO restores BC, DE, HL and IX.
; - Each character waits until the UART's transmitter holding register is
;   empty (status bit 6 at EAh), then goes out on EBh.
; - Level II ends lines with CR alone; the TermiNet needs CR and LF, and
;   fill characters (NULs) while the paper moves: after CR it sends LF and
;   6 NULs (300 ms at 30 char/s). After BS, 6 NULs (230 ms). VT and FF get
;   2 NULs before them (a paper motion right after a line feed must wait
;   350 ms from the last character) and 63 after, enough for a whole 66-line
;   form (300 ms + 27 ms a line).
; - A character 00h asks for the printer's status: the answer is "ready"
;   (A = 0, Z set).
;
; ADDR  BYTES       the hand assembly: address and bytes of each instruction
        ORG     7F00H

; ---- one-time set-up ----------------------------------------------------------
SETUP:  OUT     (0E8H),A        ; 7F00  D3 E8      reset the UART (the value does not matter)
        LD      A,55H           ; 7F02  3E 55      300 baud out (high nibble) and in (low nibble)
        OUT     (0E9H),A        ; 7F04  D3 E9      to the baud-rate generator
        LD      A,6CH           ; 7F06  3E 6C      8 data bits, 1 stop bit, no parity, no break
        OUT     (0EAH),A        ; 7F08  D3 EA      to the UART control register
        LD      HL,DRIVER       ; 7F0A  21 11 7F   our driver ...
        LD      (4026H),HL      ; 7F0D  22 26 40   ... into the printer DCB's driver address
        RET                     ; 7F10  C9         back to BASIC (USR) or the caller

; ---- the driver: C = character, IX = 4025h, Z set (output) -----------------------
DRIVER: LD      A,C             ; 7F11  79         the character
        OR      A               ; 7F12  B7         00h asks for the status:
        RET     Z               ; 7F13  C8         ready (A = 0, Z set)
        CP      0DH             ; 7F14  FE 0D      carriage return?
        JR      Z,NEWLN         ; 7F16  28 0E
        CP      0CH             ; 7F18  FE 0C      form feed?
        JR      Z,PAPER         ; 7F1A  28 13
        CP      0BH             ; 7F1C  FE 0B      vertical tab?
        JR      Z,PAPER         ; 7F1E  28 0F
        CP      08H             ; 7F20  FE 08      backspace?
        JR      Z,BACK          ; 7F22  28 17
        JR      SEND            ; 7F24  18 22      anything else goes as it is (SEND returns A)
NEWLN:  CALL    SEND            ; 7F26  CD 48 7F   the CR itself
        LD      A,0AH           ; 7F29  3E 0A      then a line feed
        LD      B,6             ; 7F2B  06 06      and 6 fill characters: 300 ms in all
        JR      CODE            ; 7F2D  18 0E
PAPER:  XOR     A               ; 7F2F  AF         VT/FF: first 2 fill characters, in case the
        CALL    SEND            ; 7F30  CD 48 7F   paper is still moving after a line feed
        CALL    SEND            ; 7F33  CD 48 7F   (350 ms from the last character)
        LD      A,C             ; 7F36  79         the VT or FF
        LD      B,63            ; 7F37  06 3F      then 63 fills, 2.1 s, a whole form
        JR      CODE            ; 7F39  18 02
BACK:   LD      B,6             ; 7F3B  06 06      BS: 6 fills, 230 ms before the next strike
CODE:   CALL    SEND            ; 7F3D  CD 48 7F   the code in A (LF, VT, FF or BS)
FILL:   XOR     A               ; 7F40  AF         a NUL fill character
        CALL    SEND            ; 7F41  CD 48 7F
        DJNZ    FILL            ; 7F44  10 FA      B times
        LD      A,C             ; 7F46  79         return the character we were given
        RET                     ; 7F47  C9

; ---- send A when the transmitter can take it ------------------------------------
SEND:   PUSH    AF              ; 7F48  F5         keep the character
WAIT:   IN      A,(0EAH)        ; 7F49  DB EA      UART status
        BIT     6,A             ; 7F4B  CB 77      THRE: holding register empty?
        JR      Z,WAIT          ; 7F4D  28 FA      not yet
        POP     AF              ; 7F4F  F1
        OUT     (0EBH),A        ; 7F50  D3 EB      to the transmitter
        RET                     ; 7F52  C9
        END     SETUP
