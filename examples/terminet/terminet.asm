; TERMINET.ASM - print from Level II BASIC on a GE TermiNet 300 through the
; Radio Shack RS-232-C interface (26-1145), at 300 baud, 30 characters a second.
;
; Original code for z80emu (MIT licence). Assemble with `z80emu asm`, or type
; the hand-assembled bytes (the ADDR and BYTES columns of the comments) into
; memory with POKE, the monitor, or TERMINET.BAS beside this file.
;
; Where it lives: 7F00h-7F66h, the top of a 16K machine. Answer MEMORY SIZE?
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
;   6 NULs (300 ms at 30 char/s). After BS, 6 NULs (230 ms); after VT or
;   FF, 63 NULs, enough for a whole 66-line form (300 ms + 27 ms a line).
;   A paper motion right after another (a blank line, or VT/FF after a line
;   end) must wait 350 ms from the last printed character: 2 NULs more go
;   before it. The byte MOVED remembers whether the paper moved last.
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
        JR      Z,NEWLN         ; 7F16  28 13
        CP      0CH             ; 7F18  FE 0C      form feed?
        JR      Z,PAPER         ; 7F1A  28 18
        CP      0BH             ; 7F1C  FE 0B      vertical tab?
        JR      Z,PAPER         ; 7F1E  28 14
        CP      08H             ; 7F20  FE 08      backspace?
        JR      Z,BACK          ; 7F22  28 14
        XOR     A               ; 7F24  AF         anything else prints: the paper is still
        LD      (MOVED),A       ; 7F25  32 66 7F
        LD      A,C             ; 7F28  79
        JR      SEND            ; 7F29  18 30      send it (SEND returns with A = the character)
NEWLN:  CALL    SEND            ; 7F2B  CD 5B 7F   the CR itself
        LD      A,0AH           ; 7F2E  3E 0A      then a line feed
        LD      B,6             ; 7F30  06 06      and 6 fill characters: 300 ms in all
        JR      MOTION          ; 7F32  18 08
PAPER:  LD      B,63            ; 7F34  06 3F      VT/FF: 63 fills, 2.1 s, a whole form
        JR      MOTION          ; 7F36  18 04
BACK:   LD      B,6             ; 7F38  06 06      BS: 6 fills, 230 ms before the next strike
        JR      CODE            ; 7F3A  18 14
MOTION: PUSH    AF              ; 7F3C  F5         paper motion (LF, VT, FF) right after another,
        LD      A,(MOVED)       ; 7F3D  3A 66 7F   with nothing printed between (a blank line):
        OR      A               ; 7F40  B7         the paper may still be moving, and the next
        JR      Z,MOVE          ; 7F41  28 07      motion must wait 350 ms from the last printed
        XOR     A               ; 7F43  AF         character, so 2 more fill characters first
        CALL    SEND            ; 7F44  CD 5B 7F
        CALL    SEND            ; 7F47  CD 5B 7F
MOVE:   LD      A,1             ; 7F4A  3E 01      the paper moves
        LD      (MOVED),A       ; 7F4C  32 66 7F
        POP     AF              ; 7F4F  F1
CODE:   CALL    SEND            ; 7F50  CD 5B 7F   the code in A (LF, VT, FF or BS)
FILL:   XOR     A               ; 7F53  AF         a NUL fill character
        CALL    SEND            ; 7F54  CD 5B 7F
        DJNZ    FILL            ; 7F57  10 FA      B times
        LD      A,C             ; 7F59  79         return the character we were given
        RET                     ; 7F5A  C9

; ---- send A when the transmitter can take it ------------------------------------
SEND:   PUSH    AF              ; 7F5B  F5         keep the character
WAIT:   IN      A,(0EAH)        ; 7F5C  DB EA      UART status
        BIT     6,A             ; 7F5E  CB 77      THRE: holding register empty?
        JR      Z,WAIT          ; 7F60  28 FA      not yet
        POP     AF              ; 7F62  F1
        OUT     (0EBH),A        ; 7F63  D3 EB      to the transmitter
        RET                     ; 7F65  C9

MOVED:  DB      0               ; 7F66  00         1 when the paper moved after the last character
        END     SETUP
