; The built-in hex monitor (0B00h-0FFFh)
; =======================================
;
; A small machine-code monitor on the TRS-80's own screen, for hand-assembling
; at the machine as in 1979: look at memory, change it by typing hex pairs, run
; it, stop it at a breakpoint and look at the registers, load a SYSTEM tape.
; The firmware CALLs MONITOR; the monitor RETurns when the user leaves it.
; docs/rom-monitor.md is the user's guide; this file is meant to be read too.
;
; Commands (one letter, then hexadecimal arguments separated by spaces):
;   M addr          modify memory, one byte a line (two hex digits store it,
;                   ENTER keeps it, - or up arrow goes back, . or BREAK ends)
;   D addr          dump 64 bytes: 8 lines of 8 bytes and their characters;
;                   an empty line (ENTER alone) afterwards shows the next 64
;   F from to byte  fill memory from..to (inclusive) with the byte
;   G addr          CALL addr: a routine that ends with RET comes back here
;   G               continue the program stopped at the breakpoint
;   B addr          set the breakpoint (one at a time); B alone removes it
;   R               show the registers saved at the breakpoint
;   T name          load a SYSTEM tape (T alone asks for the name, as Level II's
;                   SYSTEM does; an empty name takes the first program)
;   Q               leave (BREAK at the prompt does the same)
; M and D without an address carry on from where the last M or D stopped.
;
; It uses only the Level II entry points: 0033h (show a character), 0049h
; (wait for a key), 0040h (input a line) and the cassette routines 0212h, 0296h, 0235h and 01F8h.
; Everything it keeps lives in RAM at 42A7h-42DBh (see below); all its labels
; start with M_ so that they cannot clash with the firmware's or BASIC's.

; ---- the ROM entry points used (Level II addresses) ---------------------------
M_VDCHR EQU     0033H           ; show the character in A
M_KBWT  EQU     0049H           ; wait for a key: A = its code
M_LINEIN EQU    0040H           ; input a line: HL = buffer, B = the most
M_MOTON EQU     0212H           ; cassette motor on (A = 0: cassette #1)
M_MOTOF EQU     01F8H           ; cassette motor off
M_SYNC  EQU     0296H           ; find the leader and the A5h sync byte
M_RDBYT EQU     0235H           ; read one byte from the tape into A
M_RST30 EQU     400FH           ; RAM vector of RST 30h: JP here on a breakpoint
M_CURS  EQU     4020H           ; the video driver's cursor address
M_TOPR  EQU     3C3EH           ; the top right corner of the screen

; ---- key codes (TRS80-REFERENCE.md section 2.2) ---------------------------------
M_BRK   EQU     01H             ; BREAK
M_BS    EQU     08H             ; left arrow: backspace
M_ENTER EQU     0DH             ; ENTER
M_CLRLN EQU     18H             ; SHIFT + left arrow: erase the line
M_UP    EQU     5BH             ; up arrow
M_RSTOP EQU     0F7H            ; the opcode of RST 30h, planted as the breakpoint

; ---- RAM ---------------------------------------------------------------------
; A block just below BASIC's own words at 42DCh-42E8h and the start of a BASIC
; program (42E9h), above the firmware's start-up stack (4288h), at the top of
; the area where Level II keeps its input buffer (41E8h): BASIC only needs
; that while it reads a line, and the monitor only while it runs. What must
; last between two visits (the breakpoint) comes last, where only a line of
; more than 238 characters would reach.
M_LINE  EQU     42A7H           ; the command line typed, ending with 0Dh
M_LLEN  EQU     23              ;   characters at most
M_REGS  EQU     M_LINE+M_LLEN+1 ; registers at the breakpoint: AF BC DE HL IX IY,
M_SP    EQU     M_REGS+12       ;   SP and
M_PC    EQU     M_SP+2          ;   PC, in the order R shows them
M_ADDR  EQU     M_PC+2          ; where M and D carry on
M_LPSP  EQU     M_ADDR+2        ; the stack at the prompt (errors go back to it)
M_TNAM  EQU     M_LPSP+2        ; T: where the name typed is
M_LASTC EQU     M_TNAM+2        ; the last command letter (ENTER alone repeats D)
M_BPAD  EQU     M_LASTC+1       ; the breakpoint's address
M_BPBY  EQU     M_BPAD+2        ; the byte the RST 30h replaced
M_FLAGS EQU     M_BPBY+1        ; bit 0 breakpoint planted, bit 1 registers
                                ; saved, bit 2 the monitor was entered by a break
M_RETSP EQU     M_FLAGS+1       ; the stack to return through when leaving (0: none)
M_RAMEND EQU    M_RETSP+1       ; the last byte used: 42DBh

        ORG     0B00H

; ============================================================================
; MONITOR: the entry point. Called by the firmware (or by anyone); returns
; when the user types Q or BREAK at the prompt. Uses every register.
; ============================================================================
MONITOR: LD     (M_RETSP),SP    ; Q returns through this stack
        LD      A,0C3H          ; C3h is the opcode of JP nn
        LD      (M_RST30),A     ; RST 30h -> 0030h -> 400Fh: JP M_BREAK
        LD      HL,M_BREAK
        LD      (M_RST30+1),HL
        LD      HL,M_FLAGS      ; not entered by a break; registers not saved
        LD      A,(HL)
        AND     01H
        LD      (HL),A
        CALL    M_FRESH
        LD      HL,M_HELLO
        CALL    M_MSG

; ----------------------------------------------------------------------------
; The command loop: show the prompt, read a line, find the command, call it.
; Every command returns here with RET; an error jumps to M_ERR, which puts the
; stack back as it was at the prompt.
; ----------------------------------------------------------------------------
M_LOOP: LD      (M_LPSP),SP
        CALL    M_FRESH         ; the prompt starts a line
        LD      A,'#'
        CALL    M_OUT
        CALL    M_GETLN         ; DE = the line; carry if BREAK was pressed
        JR      C,M_QUIT
        CALL    M_SKIP          ; A = the first character that is not a space
        INC     DE              ; DE = what follows the command letter
        LD      HL,M_LASTC
        CP      M_ENTER         ; an empty line: more of the dump, if a D came last
        JR      NZ,M_LP1
        LD      A,(HL)
        CP      'D'
        JR      NZ,M_LOOP
        DEC     DE              ; D without an argument
M_LP1:  LD      (HL),A
        LD      C,A
        LD      HL,M_CMDS       ; the table: a letter, then the routine's address
M_LP2:  LD      A,(HL)
        OR      A
        JR      Z,M_WHAT        ; the end of the table: no such command
        INC     HL
        CP      C
        JR      Z,M_LP3
        INC     HL              ; skip the address
        INC     HL
        JR      M_LP2
M_LP3:  LD      A,(HL)          ; HL = the routine's address
        INC     HL
        LD      H,(HL)
        LD      L,A
        LD      BC,M_LOOP       ; the routine's RET comes back to the prompt
        PUSH    BC
        JP      (HL)

M_CMDS: DB      'M'
        DW      M_MCMD
        DB      'D'
        DW      M_DCMD
        DB      'F'
        DW      M_FCMD
        DB      'G'
        DW      M_GCMD
        DB      'B'
        DW      M_BCMD
        DB      'R'
        DW      M_RCMD
        DB      'T'
        DW      M_TCMD
        DB      'Q'
        DW      M_QUIT
        DB      0

; Q and BREAK: leave the monitor. If a breakpoint brought us here (the program
; was not started from the monitor), leaving means letting it carry on.
M_QUIT: LD      A,(M_FLAGS)
        BIT     2,A
        JP      NZ,M_CONT
        CALL    M_FRESH         ; leave the caller a new line
        LD      HL,(M_RETSP)
        LD      SP,HL           ; the stack as it was when MONITOR was called
        LD      HL,0
        LD      (M_RETSP),HL    ; no session open any more
        RET                     ; to whoever called MONITOR

; Errors: show the message, forget the command, back to the prompt.
M_WHAT: LD      HL,M_EWHAT      ; not a command, or not hex where hex belongs
M_ERR:  LD      SP,(M_LPSP)     ; drop whatever the command had on the stack
        CALL    M_FRESH
        CALL    M_MSG
        JR      M_LOOP

; ============================================================================
; M addr: modify memory. Each line shows an address and the byte there:
;       7F00  FF
; Two hex digits replace the byte (it is read back: ROM keeps its own), ENTER
; keeps it; both go on to the next address. - or the up arrow goes back one.
; . or BREAK ends. Other keys are refused: nothing is stored.
; ============================================================================
M_MCMD: CALL    M_ADDRA         ; HL = the address typed, or where we stopped
        CALL    M_END
M_M1:   LD      (M_ADDR),HL
        CALL    M_FRESH
        CALL    M_HEX4          ; "7F00  FF "
        CALL    M_SPACE
        CALL    M_SPACE
        LD      A,(HL)
        CALL    M_HEX2
        CALL    M_SPACE
M_M2:   CALL    M_KEY           ; the first key of the new value
        CP      M_ENTER
        JR      Z,M_MNEXT       ; keep the byte, go on
        CP      '-'
        JR      Z,M_MBACK
        CP      M_UP
        JR      Z,M_MBACK
        CALL    M_MSTOP
        RET     Z               ; . or BREAK: the end
        CALL    M_DIGIT         ; B = the digit's value, shown; carry if not hex
        JR      C,M_M2          ; refused: wait for a proper key
        LD      A,B
        ADD     A,A             ; times 16: the high half of the byte
        ADD     A,A
        ADD     A,A
        ADD     A,A
        LD      C,A
M_M3:   CALL    M_KEY           ; the second digit
        CP      M_BS            ; backspace: take the first digit back
        JR      NZ,M_M4
        CALL    M_OUT
        JR      M_M2
M_M4:   CALL    M_MSTOP
        RET     Z               ; . or BREAK: the end, nothing stored
        CALL    M_DIGIT
        JR      C,M_M3
        LD      A,B
        OR      C               ; the high half with the low half
        LD      (HL),A          ; store it ...
        CP      (HL)            ; ... and read it back: ROM (or no RAM) keeps
        JR      Z,M_MNEXT       ; what it had
        PUSH    HL
        LD      HL,M_ENRAM      ; " NOT RAM"
        CALL    M_MSG
        POP     HL
M_MNEXT: INC    HL
        JR      M_M1
M_MBACK: DEC    HL
        JR      M_M1

; Z if the key in A ends M (. or BREAK), with a new line shown.
M_MSTOP: CP     '.'
        JR      Z,M_MST1
        CP      M_BRK
        RET     NZ
M_MST1: JP      M_CRLF          ; a new line; the flags stay Z

; Take the key in A as a hex digit: if it is one, show it and return B = its
; value (0-15), no carry; otherwise carry, nothing shown. Uses A and B.
M_DIGIT: LD     B,A             ; the key
        CALL    M_HEXD
        RET     C               ; not hex
        PUSH    AF              ; keep the value (and the cleared carry)
        LD      A,B             ; show the key as typed
        CALL    M_OUT
        POP     AF
        LD      B,A
        RET

; ============================================================================
; D addr: dump 64 bytes, 8 a line, with their characters (. for the others):
;       7F00  3E 41 CD 33 00 C9 FF FF  >A.3....
; ============================================================================
M_DCMD: CALL    M_ADDRA
        CALL    M_END
        LD      B,8             ; eight lines
M_D1:   PUSH    BC
        CALL    M_DLINE
        POP     BC
        DJNZ    M_D1
        LD      (M_ADDR),HL     ; an empty line goes on from here
        RET

; One line of the dump: the 8 bytes from HL, HL moved on past them.
M_DLINE: CALL   M_HEX4
        CALL    M_SPACE
        PUSH    HL
        LD      B,8
M_DL1:  CALL    M_SPACE         ; the bytes in hex
        LD      A,(HL)
        CALL    M_HEX2
        INC     HL
        DJNZ    M_DL1
        POP     HL
        CALL    M_SPACE
        CALL    M_SPACE
        LD      B,8
M_DL2:  LD      A,(HL)          ; the same bytes as characters
        CP      ' '
        JR      C,M_DL3         ; control codes ...
        CP      7FH
        JR      C,M_DL4
M_DL3:  LD      A,'.'           ; ... and graphics show as a dot
M_DL4:  CALL    M_OUT
        INC     HL
        DJNZ    M_DL2
        JP      M_CRLF

; ============================================================================
; F from to byte: fill memory from..to (both included) with the byte.
; ============================================================================
M_FCMD: CALL    M_NEED          ; from
        PUSH    HL
        CALL    M_NEED          ; to
        PUSH    HL
        CALL    M_NEED          ; the byte
        CALL    M_END
        LD      A,H             ; a byte is 00h-FFh
        OR      A
        JP      NZ,M_WHAT
        LD      C,L
        POP     DE              ; DE = to
        POP     HL              ; HL = from
        LD      A,E             ; to - from, a byte at a time: SUB, then SBC
        SUB     L               ; takes the borrow along; carry at the end
        LD      A,D             ; means to is below from
        SBC     A,H
        JP      C,M_WHAT
M_F1:   LD      (HL),C
        LD      A,H             ; was that the last address?
        CP      D
        JR      NZ,M_F2
        LD      A,L
        CP      E
        RET     Z
M_F2:   INC     HL
        JR      M_F1

; ============================================================================
; G addr: call the program at addr. G alone: carry on from the breakpoint
; with the registers it had there.
; ============================================================================
M_GCMD: CALL    M_ARG
        JR      C,M_GCONT       ; no address
        CALL    M_END
        LD      DE,(M_RETSP)    ; the routine may call MONITOR itself (G 0B00
        PUSH    DE              ; does): keep where our Q returns
        CALL    M_GO            ; CALL (HL): the routine's RET comes back here
        POP     DE
        LD      (M_RETSP),DE
        RET                     ; to the prompt
M_GO:   JP      (HL)

M_GCONT: LD     A,(M_FLAGS)
        BIT     1,A
        LD      HL,M_ENOBR
        JP      Z,M_ERR         ; no break to continue from
; Continue the program that stopped, with the registers it had. The saved PC
; goes onto the program's stack, where the RST 30h had put its return
; address. Then the stack pointer walks through the save area, each POP
; taking back two registers' bytes; LD SP,(nn) gives the program its stack
; back (it changes no register or flag), and RET jumps to the saved PC.
; (An interrupt in the middle would push below SP, onto bytes already
; popped and the command line below them: no harm done.)
M_CONT: LD      HL,M_FLAGS
        BIT     2,(HL)          ; entered by a break: going on leaves the monitor
        JR      Z,M_CONT1
        LD      DE,0
        LD      (M_RETSP),DE
M_CONT1: LD     A,(HL)
        AND     01H             ; registers used up, no longer entered by a break
        LD      (HL),A
        LD      HL,(M_SP)       ; push the PC on the program's stack
        DEC     HL
        DEC     HL
        LD      (M_SP),HL
        LD      DE,(M_PC)
        LD      (HL),E
        INC     HL
        LD      (HL),D
        LD      SP,M_REGS
        POP     AF
        POP     BC
        POP     DE
        POP     HL
        POP     IX
        POP     IY
        LD      SP,(M_SP)
        RET                     ; to the saved PC

; ============================================================================
; B addr: set the breakpoint. The byte at addr is kept and replaced by F7h,
; the one-byte instruction RST 30h. When the program gets there, the CPU
; pushes the address after it and jumps to 0030h, which jumps to the RAM
; vector 400Fh, which the monitor pointed at M_BREAK. B alone removes it.
; ============================================================================
M_BCMD: CALL    M_BCLR          ; one breakpoint at a time: the old one goes
        CALL    M_ARG
        RET     C               ; B alone: that was all
        CALL    M_END
        LD      A,(HL)
        LD      (M_BPBY),A      ; keep the byte
        LD      (HL),M_RSTOP    ; plant the RST 30h
        LD      A,(HL)
        CP      M_RSTOP         ; only RAM keeps it
        JR      Z,M_B1
        LD      HL,M_ENRAM+1
        JP      M_ERR
M_B1:   LD      (M_BPAD),HL
        LD      HL,M_FLAGS
        SET     0,(HL)
        RET

; Remove the breakpoint, if one is planted: put the kept byte back. (Only if
; the RST 30h is still there: a program may have written over it.) Uses A, HL.
M_BCLR: LD      HL,M_FLAGS
        BIT     0,(HL)
        RET     Z
        RES     0,(HL)
        LD      HL,(M_BPAD)
        LD      A,(HL)
        CP      M_RSTOP
        RET     NZ
        LD      A,(M_BPBY)
        LD      (HL),A
        RET

; ----------------------------------------------------------------------------
; M_BREAK: where RST 30h arrives (through 0030h and 400Fh). The stack holds
; the address after the RST. Save every register, put the byte back, show
; the registers and go to the prompt, on the program's stack below what it
; uses (its stack stays intact, so G can continue it).
; ----------------------------------------------------------------------------
M_BREAK: PUSH   IY              ; push the registers in the reverse order of
        PUSH    IX              ; the save area, so that the stack holds them
        PUSH    HL              ; in its order: AF BC DE HL IX IY
        PUSH    DE
        PUSH    BC
        PUSH    AF
        LD      HL,0
        ADD     HL,SP           ; HL = where AF was pushed
        LD      DE,M_REGS
        LD      BC,12
        LDIR                    ; copy the six registers; HL = the return address
        LD      E,(HL)          ; DE = the address after the RST
        INC     HL
        LD      D,(HL)
        INC     HL
        LD      (M_SP),HL       ; the program's stack pointer before the RST
        DEC     DE              ; DE = the RST's own address
        LD      HL,M_FLAGS
        BIT     0,(HL)
        JR      Z,M_BR1         ; no breakpoint planted: some other RST 30h
        LD      HL,(M_BPAD)
        OR      A
        SBC     HL,DE
        JR      NZ,M_BR1
        CALL    M_BCLR          ; ours: the byte goes back, the PC stays on it
        JR      M_BR2
M_BR1:  INC     DE              ; a program's own RST 30h: go on after it
M_BR2:  LD      (M_PC),DE
        LD      HL,M_FLAGS
        SET     1,(HL)          ; registers saved
        LD      HL,(M_RETSP)    ; was the monitor running (the program started
        LD      A,H             ; by G)? If not, this break opens the monitor,
        OR      L               ; and leaving it lets the program carry on.
        JR      NZ,M_BR3
        LD      HL,M_FLAGS
        SET     2,(HL)
        DEC     HL              ; any non-zero value marks the monitor as open
        LD      (M_RETSP),HL
M_BR3:  CALL    M_FRESH
        LD      HL,M_EBRK       ; "BREAK"
        CALL    M_MSG
        CALL    M_SHOWR
        JP      M_LOOP

; ============================================================================
; R: show the registers saved at the breakpoint, two lines of four:
;       AF=0044 BC=0000 DE=0000 HL=0000
;       IX=0000 IY=0000 SP=7FF0 PC=7F02
; ============================================================================
M_RCMD: CALL    M_END
        LD      A,(M_FLAGS)
        BIT     1,A
        LD      HL,M_ENOBR
        JP      Z,M_ERR
M_SHOWR: LD     HL,M_RNAME      ; the names
        LD      DE,M_REGS       ; the values, in the same order
        LD      B,8
M_SR1:  LD      A,(HL)          ; the name, and =
        CALL    M_OUT
        INC     HL
        LD      A,(HL)
        CALL    M_OUT
        INC     HL
        LD      A,'='
        CALL    M_OUT
        EX      DE,HL           ; the value: low byte first in memory, so
        LD      C,(HL)          ; C = low, then A = high, shown high first
        INC     HL
        LD      A,(HL)
        INC     HL
        CALL    M_HEX2
        LD      A,C
        CALL    M_HEX2
        EX      DE,HL
        LD      A,B             ; a new line after the fourth
        CP      5
        LD      A,' '
        JR      NZ,M_SR2
        LD      A,M_ENTER
M_SR2:  CALL    M_OUT
        DJNZ    M_SR1
        JP      M_CRLF

M_RNAME: DB     "AFBCDEHLIXIYSPPC"

; ============================================================================
; T name: load a SYSTEM tape (TRS80-REFERENCE.md section 4.4), as Level II's
; SYSTEM command does: after the leader and sync, 55h and a 6-character name;
; then blocks of 3Ch, a count (0 = 256), the load address (low, high), the
; bytes and a checksum (the address bytes plus the data, modulo 256); at the
; end 78h and the entry address. A program with another name is skipped. The
; top right corner blinks * for each block and shows C after a bad checksum.
; ============================================================================
M_TCMD: CALL    M_SKIP
        CP      M_ENTER
        JR      NZ,M_T1         ; T name
        LD      HL,M_ASKNM      ; T alone: ask for the name
        CALL    M_MSG
        CALL    M_GETLN
        RET     C               ; BREAK: never mind
        CALL    M_SKIP
M_T1:   LD      (M_TNAM),DE
        LD      B,7             ; six characters at most
M_T2:   LD      A,(DE)
        INC     DE
        CP      M_ENTER
        JR      Z,M_T3
        DJNZ    M_T2
        JP      M_WHAT          ; too long
M_T3:   LD      A,I             ; keep the interrupt state: P/V = IFF2 ...
        PUSH    AF
        DI                      ; ... the tape is timed by the program
        XOR     A               ; cassette #1 ...
        CALL    M_MOTON         ; ... motor on
M_T4:   CALL    M_SYNC          ; the leader and the sync byte
        CALL    M_TBYTE
        CP      55H             ; a SYSTEM program?
        JR      NZ,M_T4         ; no: look for the next one
        LD      HL,(M_TNAM)     ; compare the name with the one typed
        LD      BC,0600H        ; B = 6 characters, C = 0: the same so far
M_T5:   CALL    M_TBYTE
        LD      E,A
        LD      A,(HL)
        CP      M_ENTER         ; the name typed has ended: the rest matches
        JR      Z,M_T6
        INC     HL
        CP      E
        JR      Z,M_T6
        INC     C               ; a different character
M_T6:   DJNZ    M_T5
        INC     C
        DEC     C
        JR      NZ,M_T4         ; another program: look further on
        LD      D,0             ; D: checksum errors seen
M_T7:   CALL    M_TBYTE         ; the next block
        CP      78H
        JR      Z,M_T10         ; the entry address: the end
        CP      3CH
        JR      NZ,M_TBAD
        CALL    M_TBYTE         ; the count
        LD      B,A
        CALL    M_TBYTE         ; the address, low byte first
        LD      L,A
        CALL    M_TBYTE
        LD      H,A
        ADD     A,L             ; the checksum starts with the address bytes
        LD      C,A
M_T8:   CALL    M_TBYTE         ; the data, counted by B (0 = 256, as DJNZ
        LD      (HL),A          ; decrements before testing)
        INC     HL
        ADD     A,C
        LD      C,A
        DJNZ    M_T8
        CALL    M_TBYTE         ; the checksum on the tape
        CP      C
        JR      Z,M_T9
        LD      A,'C'
        LD      (M_TOPR),A
        INC     D
M_T9:   LD      A,(M_TOPR+1)    ; blink the star (a space becomes * and back)
        XOR     '*' XOR ' '
        LD      (M_TOPR+1),A
        JR      M_T7
M_T10:  CALL    M_TBYTE         ; the entry address
        LD      L,A
        CALL    M_TBYTE
        LD      H,A
        CALL    M_TEND
        LD      (M_ADDR),HL     ; D or M alone look at the program
        CALL    M_FRESH
        LD      HL,M_EENT       ; "ENTRY 7F00"
        CALL    M_MSG
        LD      HL,(M_ADDR)
        CALL    M_HEX4
        LD      A,D
        OR      A
        RET     Z
        LD      HL,M_ESUM       ; "BAD CHECKSUM"
        JP      M_ERR
M_TBAD: CALL    M_TEND
        LD      HL,M_ETAPE      ; "BAD TAPE"
        JP      M_ERR

; Motor off, and interrupts back on if they were on when T began: the
; LD A,I / PUSH AF of M_T3 is under our return address. Keeps DE and HL.
M_TEND: PUSH    DE
        PUSH    HL
        CALL    M_MOTOF
        POP     HL
        POP     DE
        POP     BC              ; our return address
        POP     AF              ; P/V = the interrupts were enabled
        PUSH    BC
        RET     PO              ; parity odd = P/V clear: they were off
        EI
        RET

; Read a byte from the tape into A, keeping BC, DE and HL (the loop above
; keeps its counts and pointers there, whichever of them 0235h uses).
M_TBYTE: PUSH   BC
        PUSH    DE
        PUSH    HL
        CALL    M_RDBYT
        POP     HL
        POP     DE
        POP     BC
        RET

; ============================================================================
; Reading the command line
; ============================================================================
; M_GETLN: read a line into M_LINE through Level II's line input (0040h),
; which shows it as it is typed: ENTER ends it (the line ends with 0Dh), the
; left arrow takes back a character, SHIFT + left arrow the whole line;
; BREAK gives carry. Then a-z are made A-Z. Returns DE = M_LINE. Uses A, B,
; HL.
M_GETLN: LD     HL,M_LINE
        LD      D,H             ; DE = the line, for the caller (0040h
        LD      E,L             ; keeps DE and HL)
        LD      B,M_LLEN        ; the most characters it takes
        CALL    M_LINEIN        ; B = how many; carry if BREAK
        LD      A,0EH           ; 0040h takes the cursor off at the end: on
        CALL    M_OUT           ; again for the keys awaited next (M_OUT
        RET     C               ; keeps the flags)
M_GL1:  LD      A,(HL)          ; a-z made A-Z, up to the 0Dh
        CP      'a'
        JR      C,M_GL2
        CP      'z'+1
        JR      NC,M_GL2
        SUB     20H
        LD      (HL),A
M_GL2:  INC     HL
        CP      M_ENTER         ; (equal: Z and no carry)
        JR      NZ,M_GL1
        RET

; M_SKIP: move DE past spaces and commas; A = the character there.
M_SKIP: LD      A,(DE)
        CP      ' '
        JR      Z,M_SK1
        CP      ','
        RET     NZ
M_SK1:  INC     DE
        JR      M_SKIP

; M_END: the line must end here (after spaces), else an error.
M_END:  CALL    M_SKIP
        CP      M_ENTER
        RET     Z
        JP      M_WHAT

; M_ADDRA: an address argument in HL, or without one the current address.
M_ADDRA: CALL   M_ARG
        RET     NC
        LD      HL,(M_ADDR)
        RET

; M_NEED: an argument that must be there: HL.
M_NEED: CALL    M_ARG
        RET     NC
        JP      M_WHAT

; M_ARG: read a hex number of 1-4 digits at DE (after spaces) into HL and
; move DE past it. Carry if the line ends first (no argument); an error if
; what is there is not a hex number. Uses A, BC, HL.
M_ARG:  CALL    M_SKIP
        CP      M_ENTER
        SCF
        RET     Z               ; no argument
        LD      HL,0
        LD      B,0             ; digits read
M_AR1:  LD      A,(DE)
        CALL    M_HEXD
        JR      C,M_AR2         ; not a digit: the number has ended
        LD      C,A
        INC     B               ; a fifth digit is too many
        LD      A,B
        CP      5
        JP      NC,M_WHAT
        ADD     HL,HL           ; HL = HL x 16 + the digit: shift left four
        ADD     HL,HL           ; bits (adding HL to itself doubles it) ...
        ADD     HL,HL
        ADD     HL,HL
        LD      A,L             ; ... and put the digit in the low four bits
        OR      C
        LD      L,A
        INC     DE
        JR      M_AR1
M_AR2:  LD      A,(DE)          ; the number must end at a space, a comma or
        CP      ' '             ; the end of the line, and have a digit
        JR      Z,M_AR3
        CP      ','
        JR      Z,M_AR3
        CP      M_ENTER
        JP      NZ,M_WHAT
M_AR3:  LD      A,B
        OR      A               ; (clears carry)
        RET     NZ
        JP      M_WHAT

; M_HEXD: the hex digit in A ('0'-'9', 'A'-'F') -> its value 0-15, no carry;
; carry if A is not a hex digit. The characters between '9' and 'A' (:;<=>?@)
; are not digits, hence the two ranges.
M_HEXD: SUB     '0'
        RET     C               ; below '0'
        CP      10
        CCF
        RET     NC              ; '0'-'9': 0-9
        SUB     'A'-'0'
        RET     C               ; between '9' and 'A'
        CP      6
        CCF
        RET     C               ; after 'F'
        ADD     A,10            ; 'A'-'F': 10-15
        RET

; ============================================================================
; Keyboard and screen, through the Level II entry points
; ============================================================================
; M_KEY: wait for a key: A = its code, a-z made A-Z. Keeps BC, DE, HL
; (0049h uses DE, as in Level II).
M_KEY:  PUSH    DE
        CALL    M_KBWT
        POP     DE
        CP      'a'
        RET     C
        CP      'z'+1
        RET     NC
        SUB     20H
        RET

; M_OUT: show the character in A. Keeps every register but F (0033h uses
; DE and A, as in Level II).
M_OUT:  PUSH    AF
        PUSH    DE
        CALL    M_VDCHR
        POP     DE
        POP     AF
        RET

; M_HEX4: show HL as four hex digits; M_HEX2: A as two. Keep all but AF.
M_HEX4: LD      A,H
        CALL    M_HEX2
        LD      A,L
M_HEX2: PUSH    AF
        RRCA                    ; the high half first: rotate it down
        RRCA
        RRCA
        RRCA
        CALL    M_NIB
        POP     AF
M_NIB:  AND     0FH             ; one hex digit: 0-9 then A-F, which do not
        ADD     A,'0'           ; follow '9' in ASCII (7 characters between)
        CP      '9'+1
        JR      C,M_OUT
        ADD     A,'A'-'9'-1
        JR      M_OUT

M_SPACE: LD     A,' '
        JR      M_OUT
M_CRLF: LD      A,M_ENTER
        JR      M_OUT

; M_FRESH: start a new line unless the cursor is already at the start of one.
M_FRESH: LD     A,(M_CURS)
        AND     3FH             ; the column (a line is 64 bytes of video RAM)
        RET     Z
        JR      M_CRLF

; M_MSG: show the text at HL, up to a 00h byte. Uses A, HL.
M_MSG:  LD      A,(HL)
        OR      A
        RET     Z
        CALL    M_OUT
        INC     HL
        JR      M_MSG

; ---- messages ----------------------------------------------------------------
M_HELLO: DB     "Z80EMU MONITOR  M D F G B R T Q",M_ENTER,0
M_EWHAT: DB     "WHAT?",M_ENTER,0
M_ENRAM: DB     " NOT RAM",M_ENTER,0
M_ENOBR: DB     "NO BREAK",M_ENTER,0
M_EBRK: DB      "BREAK",M_ENTER,0
M_ASKNM: DB     "*? ",0
M_EENT: DB      "ENTRY ",0
M_ESUM: DB      "BAD CHECKSUM",M_ENTER,0
M_ETAPE: DB     "BAD TAPE",M_ENTER,0
