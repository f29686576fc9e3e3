; z80emu free ROM for the TRS-80 Model I
; ==========================================
;
; Written from scratch for z80emu (no byte of it comes from a Radio Shack ROM),
; and built by the project's own assembler: python tools/build_rom.py
;
; This file is the firmware: everything in 0000h-0A7Eh except BASIC's fixed
; slots. It gives machine-language programs written for Level II the same
; surface Level II gives them (TRS80-REFERENCE.md sections 3, 4, 6 and 7):
;
; - the restarts RST 08h-38h, which jump to the RAM vectors at 4000h-4014h,
;   and the maskable interrupt path 0038h -> 4012h;
; - the entry points at their Level II addresses: keyboard scan (002Bh), show
;   a character (0033h), print a character (003Bh), line input (0040h), wait
;   for a key (0049h), delay (0060h), clear the screen (01C9h), RANDOM
;   (01D3h), the cassette routines (01F8h-0296h), SYSTEM (02B2h), output to
;   the current device (032Ah), the LPRINT path (039Ch), printer status
;   (05D1h), back to BASIC (06CCh);
; - the device control blocks (DCBs) at 4015h (keyboard), 401Dh (video) and
;   4025h (printer), whose driver addresses at 4016h, 401Eh and 4026h a
;   program may replace with its own driver;
; - the communications region (cursor at 4020h, port FFh copy at 403Dh, top
;   of memory at 40B1h, output device at 409Ch, the DOS exits...).
;
; At power-on it sizes memory, clears the screen, shows a banner and starts
; BASIC (roms/src/basic). roms/README.md lists what is provided and what
; differs from Level II.
;
; Hardware facts used (TRS80-REFERENCE.md): keyboard rows at 3801h..3880h,
; a held key reads 1 (section 2); video RAM 3C00h-3FFFh, 64 x 16 (section 3);
; port FFh: bits 0-1 cassette output, bit 2 motor, bit 3 = 32 columns; read
; bit 7 = a tape pulse came (section 4.1); the 500-baud tape format (4.2,
; 4.4); interrupt latch at 37E0h, read to clear the heartbeat bit (7.2);
; printer status/data at 37E8h (8.1).

; ---- hardware ---------------------------------------------------------------
LATCH   EQU     37E0H           ; Expansion Interface interrupt latch (read)
CASSEL  EQU     37E4H           ; cassette select latch (write): 0 = #1, 1 = #2
PRINTER EQU     37E8H           ; printer status (read) / data (write)
DISKST  EQU     37ECH           ; floppy controller status (FFh: no controller)
KEYROW0 EQU     3801H           ; keyboard row 0; row n is at 3800h + (1 << n)
KEYROW6 EQU     3840H           ; ENTER CLEAR BREAK UP DOWN LEFT RIGHT SPACE
KEYSHFT EQU     3880H           ; row 7: SHIFT
VIDEO   EQU     3C00H           ; video RAM, 64 x 16
VIDEND  EQU     4000H           ; first address after video RAM
LASTLIN EQU     3FC0H           ; start of the bottom line
TOPRGT  EQU     3C3EH           ; the top right corner: the tape's "**"

; ---- RAM: the communications region (Level II addresses) ---------------------
RAMVEC  EQU     4000H           ; RST 08h..38h vectors, then the DCBs
RST38V  EQU     4012H           ; interrupt vector: JP handler
KIDCB   EQU     4015H           ; keyboard DCB
DODCB   EQU     401DH           ; video DCB
CURSOR  EQU     4020H           ;   its cursor address (inside the video DCB)
CURCHR  EQU     4022H           ;   character under the cursor, 0 = not shown
PRDCB   EQU     4025H           ; printer DCB
KIMAGE  EQU     4036H           ; keyboard driver's image of rows 0-6
PORTFF  EQU     403DH           ; copy of the last byte written to port FFh
INKEY   EQU     4099H           ; key kept for INKEY$ (line input clears it)
PRCOL   EQU     409BH           ; printer column
OUTSEL  EQU     409CH           ; output device: 0 video, 1 printer, -1 tape
LINLEN  EQU     409DH           ; video line length (64)
POSCOL  EQU     40A6H           ; cursor column for POS()
BUFPTR  EQU     40A7H           ; the input buffer's address
SEED    EQU     40ABH           ; random seed byte RANDOM sets
MEMSIZ  EQU     40B1H           ; highest RAM address
SYSENT  EQU     40DFH           ; the entry address of the last SYSTEM tape
DBVEC   EQU     4152H           ; Disk BASIC vectors: 28 x JP (to ?L3 ERROR)
DOSEXIT EQU     41A6H           ; DOS exits: 21 x RET, 0, 0
BUFFER  EQU     41E8H           ; the input buffer

; ---- RAM: this ROM's own variables (free under Level II without a DOS) -------
TICKS   EQU     4040H           ; heartbeat count (25 ms each), as Model I DOSes keep
CURON   EQU     4041H           ; cursor wanted: 0 = off
LCMOD   EQU     4042H           ; FFh when the lowercase modification is fitted
REPKEY  EQU     4043H           ; keyboard auto-repeat: the held key's code, 0 = none
REPROW  EQU     4044H           ;   low byte of its row's address (01h-40h)
REPBIT  EQU     4045H           ;   its bit in the row
REPCNT  EQU     4046H           ;   scans left before it repeats (2 bytes)
STACK   EQU     4288H           ; the start-up stack (BASIC sets its own)

DEBOUNCE EQU    200             ; keyboard debounce: 200 x 26 T = about 2.9 ms
REPFIRST EQU    1000            ; scans before a held key repeats (0.5 s waiting at 0049h)
REPNEXT  EQU    160             ; scans between repeats (about 12 a second at 0049h)

; ============================================================================
; 0000h-0065h: restarts and fixed entry points
; ============================================================================
        ORG     0000H
RESET:  DI                      ; power on / reset
        JP      INIT

        ORG     0008H
        JP      RAMVEC+0        ; RST 08h through the RAM vector at 4000h

        ORG     0010H
        JP      RAMVEC+3        ; RST 10h -> 4003h

        ORG     0013H
GETDCB: PUSH    BC              ; input from the DCB in DE; A = character
        LD      B,1
        JR      CIOJP

        ORG     0018H
        JP      RAMVEC+6        ; RST 18h -> 4006h

        ORG     001BH
PUTDCB: PUSH    BC              ; output A to the DCB in DE
        LD      B,2
        JR      CIOJP

        ORG     0020H
        JP      RAMVEC+9        ; RST 20h -> 4009h

        ORG     0023H
CTLDCB: PUSH    BC              ; control request A to the DCB in DE
        LD      B,4
        JR      CIOJP

        ORG     0028H
        JP      RAMVEC+12       ; RST 28h -> 400Ch (BREAK hook)

        ORG     002BH
KBSCAN: LD      DE,KIDCB        ; scan the keyboard once: A = key or 0
        JR      GETDCB

        ORG     0030H
        JP      RAMVEC+15       ; RST 30h -> 400Fh

        ORG     0033H
VDCHAR: LD      DE,DODCB        ; show the character in A
        JR      PUTDCB

        ORG     0038H
        JP      RST38V          ; maskable interrupt (IM 1) -> 4012h

        ORG     003BH
PRCHAR: LD      DE,PRDCB        ; print the character in A
        JR      PUTDCB

        ORG     0040H
LINEIN: JP      KEYIN           ; input a line (HL = buffer, B = maximum)

        ORG     0046H
CIOJP:  JP      CIO

        ORG     0049H
KBWAIT: CALL    KBSCAN          ; wait for a key: A = its code
        OR      A
        RET     NZ
        JR      KBWAIT

; Codes of the keys in row 6 (ENTER CLEAR BREAK UP DOWN LEFT RIGHT SPACE),
; unshifted then shifted, as Level II produces them (TRS80-REFERENCE 2.2).
        ORG     0050H
ROW6TAB: DB     0DH,1FH,01H,5BH,0AH,08H,09H,20H
        DB      0DH,1FH,01H,1BH,1AH,18H,19H,20H

        ORG     0060H
DELAY:  DEC     BC              ; wait BC x 26 T (14.66 us at 1.77408 MHz)
        LD      A,B
        OR      C
        JR      NZ,DELAY
        RET

; The reset button (an NMI), and HALT, which the Model I wires to the same
; circuit (TRS80-REFERENCE 7.1). Level II goes back to BASIC keeping the
; program; so does this ROM, once it has checked that the RAM it set up is
; still there (otherwise it starts again from scratch).
        ORG     0066H
NMI:    LD      SP,STACK
        JP      WARM

; ============================================================================
; Start-up
; ============================================================================
INIT:   DI
        LD      SP,STACK
        IM      1               ; for programs that enable interrupts
        LD      HL,RAMTAB       ; RST vectors, DCBs and hooks -> 4000h-4035h
        LD      DE,RAMVEC
        LD      BC,RAMTABEND-RAMTAB
        LDIR
        LD      HL,KIMAGE       ; clear the keyboard images and our variables
        LD      B,REPCNT+2-KIMAGE
CLRVAR: LD      (HL),0
        INC     HL
        DJNZ    CLRVAR
        LD      HL,DBVEC        ; Disk BASIC vectors: JP to ?L3 ERROR
        LD      B,28
INIT1:  LD      (HL),0C3H
        INC     HL
        LD      (HL),L3TGT AND 0FFH
        INC     HL
        LD      (HL),L3TGT/256
        INC     HL
        DJNZ    INIT1
        LD      B,21            ; DOS exits (41A6h-41E4h): RET, 0, 0
INIT2:  LD      (HL),0C9H
        INC     HL
        LD      (HL),0
        INC     HL
        LD      (HL),0
        INC     HL
        DJNZ    INIT2
        XOR     A
        LD      (OUTSEL),A      ; output to the screen
        LD      (POSCOL),A
        LD      (PRCOL),A
        LD      (INKEY),A
        LD      A,64
        LD      (LINLEN),A
        LD      HL,BUFFER
        LD      (BUFPTR),HL
        LD      HL,REENTRY      ; "/" at *? before any tape: back to BASIC
        LD      (SYSENT),HL
; Is the lowercase modification fitted? A stock machine keeps no bit 6 in
; video RAM: 60h written reads back as 20h.
        LD      HL,VIDEO
        LD      (HL),60H
        LD      A,(HL)
        SUB     60H
        JR      NZ,SIZE
        DEC     A               ; A = FFh: lowercase present
        LD      (LCMOD),A
; Size memory as Level II does when MEMORY SIZE? is answered with ENTER:
; the highest address that keeps what is written there. A page at a time:
; complement the last byte of each page and read it back; absent memory
; keeps nothing.
SIZE:   LD      HL,43FFH
SIZE1:  LD      A,(HL)
        LD      B,A
        CPL
        LD      (HL),A
        CP      (HL)
        LD      (HL),B
        JR      NZ,SIZE2
        INC     H
        JR      NZ,SIZE1        ; until the address wraps past FFFFh
SIZE2:  DEC     H               ; the last page that answered
        LD      (MEMSIZ),HL
        XOR     A               ; 64 columns, cassette off
        CALL    SETFF
        DEC     A
        LD      (CURON),A       ; cursor on
        CALL    CLS
        LD      HL,BANNER       ; "Z80EMU ROM 1.0", the RAM, the monitor
        CALL    PRINT
        LD      A,(MEMSIZ+1)    ; RAM in KB = (top page - 3Fh) / 4
        SUB     3FH
        SRL     A
        SRL     A
        CALL    PRDEC
        LD      HL,RAMMSG
        CALL    PRINT
        JP      BASIC           ; BASIC's cold start (roms/src/basic/basic.asm)

; Print the zero-terminated text at HL.
PRINT:  LD      A,(HL)
        OR      A
        RET     Z
        CALL    VDCHAR
        INC     HL
        JR      PRINT

; Print A (0-99) in decimal.
PRDEC:  LD      B,'0'-1
PRDEC1: INC     B
        SUB     10
        JR      NC,PRDEC1
        ADD     A,'0'+10
        LD      C,A
        LD      A,B
        CP      '0'
        CALL    NZ,VDCHAR       ; no leading zero
        LD      A,C
        JP      VDCHAR

BANNER: DB      "Z80EMU ROM 1.0",0DH,0
RAMMSG: DB      "K RAM - MONITOR: SYSTEM /M OR BREAK+RESET",0DH,0

; RST 18h: compare HL with DE (Z if equal, carry if HL < DE); uses A.
CPDEHL: LD      A,H
        SUB     D
        RET     NZ
        LD      A,L
        SUB     E
        RET

; The default interrupt handler (4012h jumps here). Level II's is EI/RET,
; which never clears the latch, so a program that enabled interrupts without
; its own handler would be interrupted forever; this one reads the latch
; (clearing the heartbeat bit) and counts the ticks at 4040h as DOSes do.
TICK:   PUSH    AF
        LD      A,(LATCH)
        RLCA                    ; carry = heartbeat bit
        JR      NC,TICK1
        PUSH    HL
        LD      HL,TICKS
        INC     (HL)
        POP     HL
TICK1:  POP     AF
        EI
        RETI

; Where CIO's drivers return: restore the caller's registers.
CIORET: POP     DE
        POP     IX
        POP     HL
        POP     BC
        RET

; ============================================================================
; 01C9h: clear the screen, 64 columns, cursor home
; ============================================================================
        ORG     01C9H
CLS:    LD      A,1CH           ; home (and 64 columns)
        CALL    VDCHAR
        LD      A,1FH           ; erase to the end of the screen
        JP      VDCHAR

; 01D3h: RANDOM: a new random seed from the refresh register R.
        ORG     01D3H
RANDOM: LD      A,R
        LD      (SEED),A
        RET

; ============================================================================
; The cassette (TRS80-REFERENCE 4.1, 4.2): 500 baud, each bit a clock pulse
; and, for a 1, a data pulse about 1 ms later; bytes most significant bit
; first. The timing loops count T-states, so interrupts must be off: the
; motor-on routine (0212h) disables them, as Level II's does.
; ============================================================================

; One pulse on the cassette output: high for 232 T (131 us), low for 225 T,
; then at rest. E = the port FFh value at rest (output bits 0). Uses A, B.
; From the CALL to the "high" OUT: 39 T; the routine returns 467 T after it.
        ORG     01D9H
PULSE:  LD      A,E
        OR      01H
        OUT     (0FFH),A        ; high
        LD      B,16
PULSE1: DJNZ    PULSE1
        LD      A,E
        OR      02H
        OUT     (0FFH),A        ; low
        LD      B,16
PULSE2: DJNZ    PULSE2
        LD      A,E
        OUT     (0FFH),A        ; at rest
        RET

; 01F8h: cassette motor off (and the output at rest). Keeps every register.
        ORG     01F8H
CASOFF: PUSH    AF
        LD      A,(PORTFF)
        AND     0F8H
        JR      CASOUT

; Clear the cassette input flip-flop: any write to port FFh does; write the
; copy so nothing else changes. Uses A.
CLRFF:  LD      A,(PORTFF)
        OUT     (0FFH),A
        RET

; 0212h: select cassette #1 (A = 0) or #2 (A = 1) and start its motor.
; Disables interrupts (the tape routines count T-states). Keeps every register.
        ORG     0212H
CASON:  DI
        PUSH    AF
        AND     01H
        LD      (CASSEL),A
        LD      A,(PORTFF)
        AND     0F8H            ; output at rest ...
        OR      04H             ; ... motor on
CASOUT: CALL    SETFF           ; also clears the input flip-flop
        POP     AF
        RET

; 0235h: read one byte from the tape into A (8 bits, most significant
; first). Keeps BC, DE and HL. BREAK stops the tape and returns to BASIC.
        ORG     0235H
CSIN:   PUSH    BC
        LD      B,8
CSIN1:  CALL    CSBIT
        DJNZ    CSIN1
        POP     BC
        RET

; 0264h: write A to the tape. Keeps every register. Each bit starts with a
; clock pulse; a 1 has a data pulse 1779 T (1.0 ms) after it. A bit takes
; 3557 T (a 1) or 3570 T (a 0), Level II's timing (TRS80-REFERENCE 4.2).
        ORG     0264H
CSOUT:  JP      CSOUTB

; 0287h: write the leader, 255 bytes of 00h, and the sync byte A5h.
        ORG     0287H
CSLEAD: JP      CSLEADB

; 0296h: read the tape until the sync byte A5h has passed (bits are shifted
; in one at a time), then show "**" at the top right of the screen. Uses A.
        ORG     0296H
CSSYNC: XOR     A
CSSYN1: CALL    CSBIT
        CP      0A5H
        JR      NZ,CSSYN1
        LD      A,'*'
        LD      (TOPRGT),A
        LD      (TOPRGT+1),A
        RET

; 02B2h: the SYSTEM command.
        ORG     02B2H
SYSTEM: JP      SYSCMD

; 0314h: read two bytes from the tape into HL, the low byte first (as an
; address comes on a SYSTEM tape). Uses A.
        ORG     0314H
CSWORD: CALL    CSIN
        LD      L,A
        CALL    CSIN
        LD      H,A
        RET

; ============================================================================
; 032Ah: send A to the device 409Ch selects: 0 the screen (and POS() column
; at 40A6h follows the cursor), 1 the printer (039Ch), negative the tape.
; Keeps every register but F (the screen: and DE, as 0033h).
; ============================================================================
        ORG     032AH
OUTDEV: PUSH    AF
        LD      A,(OUTSEL)
        OR      A
        JP      M,OUTCAS
        JR      NZ,OUTPRN
        POP     AF
        PUSH    DE
        CALL    VDCHAR
        PUSH    AF
        LD      A,(CURSOR)      ; the column, halved in 32-column mode
        AND     3FH
        LD      D,A
        LD      A,(PORTFF)
        AND     08H
        LD      A,D
        JR      Z,OUTD1
        SRL     A
OUTD1:  LD      (POSCOL),A
        POP     AF
        POP     DE
        RET
OUTCAS: POP     AF
        JP      CSOUT
OUTPRN: POP     AF
        JP      OUTLPT

; 039Ch: the LPRINT character path (TRS80-REFERENCE 8.2).
        ORG     039CH
OUTLPT: JP      OUTLPB

; ============================================================================
; 03C2h: CIO, the DCB dispatcher. Entered from 0013h/001Bh/0023h with BC
; pushed, B = request (1 get, 2 put, 4 control), DE = DCB, A = character.
; The driver gets IX = DCB, C = the character, and flags: carry = get,
; Z = put, neither = control. It returns its result in A.
; ============================================================================
        ORG     03C2H
CIO:    PUSH    HL
        PUSH    IX
        PUSH    DE
        PUSH    DE
        POP     IX
        LD      C,A
        LD      HL,CIORET       ; the driver returns through CIORET
        PUSH    HL
        LD      A,(IX+0)        ; can this DCB do the request?
        AND     B
        CP      B
        JP      NZ,RAMVEC+33H   ; no: 4033h answers A = 0
        LD      L,(IX+1)        ; the driver's address
        LD      H,(IX+2)
        LD      A,B
        CP      2               ; 1: carry; 2: Z; 4: neither
        LD      A,C
        JP      (HL)

; ============================================================================
; 03E3h: the keyboard driver. Scans rows 0-6 against their images at 4036h
; and returns the code of a newly pressed key in A (0 if none). A new key
; is read again after a short delay (debounce) before it counts. A key held
; down repeats (not in Level II): after REPFIRST scans that found nothing
; new, then every REPNEXT scans; BREAK never repeats.
; ============================================================================
        ORG     03E3H
KEYDRV: LD      HL,KIMAGE
        LD      DE,KEYROW0
KDROW:  LD      A,(DE)          ; the row: 1 = key down
        LD      C,A
        XOR     (HL)            ; changed since the last scan
        AND     C               ; ... and down now
        LD      (HL),C          ; remember the row
        JR      NZ,KDNEW
        INC     L               ; (the images do not cross a page)
        SLA     E               ; next row address: 01h, 02h ... 40h
        JP      P,KDROW         ; until 80h
        JP      KDREP           ; nothing new: is a held key due to repeat?
KDNEW:  LD      C,A             ; C = the new keys of this row
        PUSH    BC
        LD      BC,DEBOUNCE
        CALL    DELAY
        POP     BC
        LD      A,(DE)          ; read the row again
        LD      (HL),A
        AND     C
        RET     Z               ; it was a bounce
        LD      C,A
        LD      A,E             ; remember the row, for the repeat
        LD      (REPROW),A
        LD      B,-8            ; B = the row's first key number (row x 8)
KDNEW1: LD      A,B
        ADD     A,8
        LD      B,A
        RRC     E
        JR      NC,KDNEW1
        LD      L,1             ; L = the lowest new key's bit
KDBIT:  LD      A,C
        AND     L
        JR      NZ,KDHIT
        SLA     L
        INC     B               ; key number = row x 8 + bit number
        JR      KDBIT
KDHIT:  LD      (REPBIT),A
        CALL    KDCODE          ; A = the key's code
        LD      (REPKEY),A
        LD      HL,REPFIRST
        LD      (REPCNT),HL
        CP      01H             ; BREAK: no repeat; call the RST 28h hook
        RET     NZ
        XOR     A
        LD      (REPKEY),A
        RST     28H
        LD      A,01H
        RET
; ============================================================================
; 0458h: the video driver. C = character. Handles the control codes of
; TRS80-REFERENCE 3.7 and scrolls at the bottom. The cursor is an underscore
; written into video RAM; the character it covers is kept at 4022h.
; ============================================================================
        ORG     0458H
VIDDRV: LD      L,(IX+3)        ; HL = cursor address
        LD      H,(IX+4)
        LD      A,(IX+5)        ; take the cursor off the screen
        OR      A
        JR      Z,VD1
        LD      (HL),A
VD1:    LD      A,C
        CP      20H
        JP      C,VDCTL
        CP      80H
        JR      NC,VDPUT        ; graphics go in as they are
        CP      60H
        JR      C,VDPUT
        LD      B,A             ; lowercase: kept only with the modification
        LD      A,(LCMOD)
        OR      A
        LD      A,B
        JR      NZ,VDPUT
        SUB     20H             ; otherwise shown as uppercase
VDPUT:  LD      (HL),A
        CALL    VDRIGHT
VDDONE: LD      A,H             ; past the bottom: scroll
        CP      VIDEND/256
        CALL    Z,SCROLL
VDCUR:  LD      (IX+3),L        ; store the cursor and show it
        LD      (IX+4),H
        XOR     A
        LD      (IX+5),A
        LD      A,(CURON)
        OR      A
        JR      Z,VDRET
        LD      A,(HL)
        LD      (IX+5),A
        LD      (HL),5FH        ; the cursor: an underscore
VDRET:  LD      A,C
        RET

; One step right (two in 32-column mode).
VDRIGHT: INC    HL
        LD      A,(PORTFF)
        AND     08H
        RET     Z
        INC     HL
        RET

; One step left (two in 32-column mode).
VDLEFT: DEC     HL
        LD      A,(PORTFF)
        AND     08H
        RET     Z
        DEC     HL
        RET

; Control codes 08h-1Fh through a table; 00h-07h are ignored.
VDCTL:  SUB     08H
        JP      C,VDCUR
        ADD     A,A
        LD      E,A
        LD      D,0
        PUSH    HL
        LD      HL,VDTAB
        ADD     HL,DE
        LD      E,(HL)
        INC     HL
        LD      D,(HL)
        POP     HL
        PUSH    DE
        RET                     ; to the handler, HL = the cursor address
VDTAB:  DW      VDBS            ; 08h backspace and erase
        DW      VDCUR           ; 09h ignored
        DW      VDNL,VDNL       ; 0Ah 0Bh new line
        DW      VDNL,VDNL       ; 0Ch 0Dh new line
        DW      VDCON,VDCOFF    ; 0Eh cursor on, 0Fh cursor off
        DW      VDCUR,VDCUR     ; 10h-16h ignored
        DW      VDCUR,VDCUR
        DW      VDCUR,VDCUR
        DW      VDCUR
        DW      VDWIDE          ; 17h 32 characters a line
        DW      VDCL,VDCR       ; 18h left, 19h right
        DW      VDCD,VDCU       ; 1Ah down, 1Bh up
        DW      VDHOME          ; 1Ch home, 64 characters a line
        DW      VDSOL           ; 1Dh start of the line
        DW      VDEOL,VDEOS     ; 1Eh erase to the end of the line, 1Fh of the screen

VDBS:   LD      A,H             ; backspace and erase (not past the top left)
        CP      VIDEO/256
        JR      NZ,VDBS1
        LD      A,L
        OR      A
        JP      Z,VDCUR
VDBS1:  CALL    VDLEFT
        LD      (HL),' '
        JP      VDCUR
VDNL:   LD      A,L             ; start of the next line ...
        AND     0C0H
        LD      L,A
        LD      DE,64
        ADD     HL,DE
        LD      A,H
        CP      VIDEND/256
        CALL    Z,SCROLL
        CALL    ERASEL          ; ... which is erased
        JP      VDCUR
VDCON:  LD      A,0FFH          ; cursor on
        LD      (CURON),A
        JP      VDCUR
VDCOFF: XOR     A               ; cursor off
        LD      (CURON),A
        JP      VDCUR
VDWIDE: LD      A,(PORTFF)      ; 32 characters a line
        OR      08H
        CALL    SETFF
        RES     0,L             ; on an even address
        JP      VDCUR
; Left and right wrap within the line. A line is 64 bytes and never crosses
; a 256-byte page, so the line is H and the top two bits of L.
VDCL:   LD      B,L             ; left
        CALL    VDLEFT
        LD      A,L
        XOR     B
        AND     0C0H
        JP      Z,VDCUR         ; still on the line
        LD      A,B             ; wrapped: to the end of the same line
        OR      3FH
        LD      L,A
        CALL    VDEVEN
        LD      A,B
        CP      40H             ; the step left borrowed from H
        JP      NC,VDCUR
        INC     H
        JP      VDCUR
VDCR:   LD      B,L             ; right
        CALL    VDRIGHT
        LD      A,L
        XOR     B
        AND     0C0H
        JP      Z,VDCUR
        LD      A,B             ; wrapped: to the start of the same line
        AND     0C0H
        LD      L,A
        LD      A,B
        CP      0C0H            ; the step right carried into H
        JP      C,VDCUR
        DEC     H
        JP      VDCUR
; ============================================================================
; 058Dh: the printer driver. C = character; 0 only asks for the status
; (Z = ready). VT (0Bh), and FF (0Ch) when the page length at 4028h is not
; 0, feed the paper to the top of the next page: (4028h) - (4029h) line
; feeds. Anything else waits until the printer is ready (status AND F0h =
; 30h) and goes to it; a CR counts a line at 4029h, up to the page length.
; ============================================================================
        ORG     058DH
PRTDRV: LD      A,C
        OR      A
        JR      Z,PRSTAT
        CP      0BH             ; vertical tab
        JR      Z,PRTOF
        CP      0CH             ; form feed, when pages are counted
        JR      NZ,PRCHR
        LD      A,(IX+3)
        OR      A
        JR      Z,PRCHR
PRTOF:  LD      A,(IX+3)        ; lines left on this page
        SUB     (IX+4)
        JR      Z,PRTOF2
        JR      C,PRTOF2
        LD      B,A
PRTOF1: LD      A,0AH
        CALL    PRSEND
        DJNZ    PRTOF1
PRTOF2: LD      (IX+4),0
        LD      A,C
        RET
PRCHR:  LD      A,C
        CALL    PRSEND
        CP      0DH             ; a line printed
        RET     NZ
        INC     (IX+4)
        LD      A,(IX+4)
        CP      (IX+3)
        LD      A,C
        RET     C
        LD      (IX+4),0        ; the page is full: count from 0 again
        RET
; 05D1h: the printer's status: Z when it is ready. Uses A.
        ORG     05D1H
PRSTAT: LD      A,(PRINTER)
        AND     0F0H
        CP      30H
        RET

; ============================================================================
; 05D9h (and 0040h): input a line from the keyboard.
; In:  HL = the buffer, B = the most characters it takes (it needs B + 1
;      bytes: the line ends with 0Dh).
; Out: B = characters typed, the buffer holds them and 0Dh; carry set when
;      BREAK ended the line (what was typed is kept). A = 0Dh; C, DE, HL
;      kept. Clears the INKEY$ key at 4099h.
; Keys: ENTER ends; BREAK ends with carry; left arrow (backspace) erases one
; character; SHIFT + left arrow erases the line; right arrow puts spaces to
; the next multiple of 8 columns; CLEAR clears the screen and the line. The
; cursor is shown while a line is typed and taken off at the end (0Eh/0Fh,
; as Level II). Codes 20h and up go in; other control codes are ignored.
; ============================================================================
        ORG     05D9H
KEYIN:  PUSH    DE
        PUSH    HL
        PUSH    BC
        XOR     A
        LD      (INKEY),A
        LD      A,0EH           ; cursor on
        CALL    VDCHAR
        POP     BC
        PUSH    BC
        LD      C,B             ; C = the most, B = the count so far
        LD      B,0
KI1:    CALL    KBWAIT
        CP      20H
        JR      C,KICTL
        CALL    KIPUT1          ; codes 20h and up go in (when the buffer
        JR      KI1             ; is full: ignored)
KICTL:  CP      0DH             ; ENTER
        JR      Z,KIEND
        CP      01H             ; BREAK
        JR      Z,KIBRK
        CP      08H             ; backspace: one character
        JR      Z,KIBS
        CP      18H             ; SHIFT + left: the whole line
        JR      Z,KIKILL
        CP      09H             ; right arrow: tab
        JR      Z,KITAB
        CP      1FH             ; CLEAR
        JR      NZ,KI1
        CALL    CLS
        POP     DE              ; start the line again
        POP     HL
        PUSH    HL
        PUSH    DE
        LD      B,0
        JR      KI1
KIBS:   CALL    KIBACK
        JR      KI1
KIKILL: CALL    KIBACK
        JR      NZ,KIKILL
        JR      KI1
KITAB:  LD      A,' '           ; spaces until the column is a multiple of 8
        CALL    KIPUT1
        JR      NC,KI1          ; the buffer is full
        LD      A,(CURSOR)
        AND     07H
        JR      NZ,KITAB
        JR      KI1
KIEND:  OR      A               ; carry clear
        JR      KIFIN
KIBRK:  SCF
KIFIN:  LD      (HL),0DH
        LD      A,0FH           ; cursor off
        PUSH    AF              ; (keeps the carry)
        CALL    VDCHAR
        LD      A,0DH
        CALL    VDCHAR
        POP     AF
        LD      A,0DH
        POP     HL              ; the caller's C
        LD      C,L
        POP     HL
        POP     DE
        RET
; Take back the last character typed: NZ if one was there.
KIBACK: LD      A,B
        OR      A
        RET     Z
        DEC     B
        DEC     HL
        LD      A,08H
        CALL    VDCHAR
        OR      1               ; NZ
        RET
; Store A and show it if there is room: carry set if it went in.
KIPUT1: LD      E,A
        LD      A,B
        CP      C
        RET     NC
        LD      A,E
        LD      (HL),A
        INC     HL
        INC     B
        CALL    VDCHAR
        SCF
        RET

; ============================================================================
; 06D2h: the 36h bytes copied to 4000h-4035h at start-up (Level II keeps its
; table here too, TRS80-REFERENCE 6.4). 06CCh (back to BASIC) is at the end
; of this file, after BASIC, whose READY label it needs.
; ============================================================================
        ORG     06D2H
RAMTAB: JP      SYNCHR          ; 4000h RST 08h: BASIC's syntax check
        JP      CHRGET          ; 4003h RST 10h: BASIC's next character
        JP      CPDEHL          ; 4006h RST 18h: compare HL with DE
        JP      GETYPE          ; 4009h RST 20h: BASIC's type test
        RET                     ; 400Ch RST 28h: BREAK / DOS request hook
        DB      0,0
        RET                     ; 400Fh RST 30h: debugger hook
        DB      0,0
        JP      TICK            ; 4012h interrupt handler
        DB      01H             ; 4015h keyboard DCB: type = input
        DW      KEYDRV
        DB      0,0,0,"KI"
        DB      07H             ; 401Dh video DCB: type = input/output/control
        DW      VIDDRV
        DW      VIDEO           ;   cursor address
        DB      0,"DO"          ;   character under the cursor
        DB      06H             ; 4025h printer DCB: type = output/control
        DW      PRTDRV
        DB      67,0,0,"PR"     ;   lines per page, line count
        JP      INIT            ; 402Dh DOS re-entry
        RST     0               ; 4030h DOS error re-entry
        DB      0,0
        LD      A,0             ; 4033h the request is not for this device
        RET
RAMTABEND:

; ============================================================================
; The rest of the firmware
; ============================================================================

; The keyboard driver's repeat: nothing new was pressed. If the key last
; reported is still down, count a scan; at zero it is reported again.
; Returns A = the key or 0.
KDREP:  LD      A,(REPKEY)
        OR      A
        RET     Z               ; no key to repeat
        LD      HL,(REPROW)     ; L = the row's address, H = the key's bit
        LD      A,H
        LD      H,KEYROW0/256
        AND     (HL)
        JR      Z,KDREL         ; it was let go
        LD      HL,(REPCNT)
        DEC     HL
        LD      (REPCNT),HL
        LD      A,H
        OR      L
        LD      A,0
        RET     NZ              ; not yet
        LD      HL,REPNEXT
        LD      (REPCNT),HL
        LD      A,(REPKEY)
        RET
KDREL:  LD      (REPKEY),A      ; A = 0: nothing to repeat
        RET

; The code of key number B (row x 8 + bit), with SHIFT (TRS80-REFERENCE 2.2).
KDCODE: LD      A,(KEYSHFT)     ; C = 1 when SHIFT is down
        AND     01H
        LD      C,A
        LD      A,B
        CP      32
        JR      NC,KDNUM
        ADD     A,40H           ; rows 0-3: @ A-Z
        DEC     C
        RET     NZ              ; unshifted
        ADD     A,20H           ; shifted: 60h-7Ah
        LD      C,A
        LD      A,(KEYROW6)     ; SHIFT + DOWN + letter: control codes
        AND     10H
        LD      A,C
        RET     Z
        SUB     60H
        RET
KDNUM:  CP      48
        JR      NC,KDROW6
        ADD     A,10H           ; rows 4-5: 30h + n for 0-9 : ;
        CP      3CH
        JR      C,KDNUM1
        SUB     10H             ; , - . / are 2Ch-2Fh
KDNUM1: DEC     C
        RET     NZ
        XOR     10H             ; SHIFT flips bit 4: ! " # ... < = > ?
        RET
KDROW6: SUB     48              ; row 6: from the table at 0050h
        DEC     C
        JR      NZ,KDTAB
        ADD     A,8             ; the shifted half
KDTAB:  LD      HL,ROW6TAB
        ADD     A,L
        LD      L,A
        LD      A,(HL)
        RET

; Wait until the printer is ready, then send A to it. Keeps every register.
PRSEND: PUSH    AF
PRSND1: CALL    PRSTAT
        JR      NZ,PRSND1
        POP     AF
        LD      (PRINTER),A
        RET

; ---- the rest of the video driver's control codes ----------------------------
VDCD:   LD      DE,64           ; down, from the bottom to the top
        ADD     HL,DE
        LD      A,H
        CP      VIDEND/256
        JP      NZ,VDCUR
        LD      H,VIDEO/256
        JP      VDCUR
VDCU:   LD      DE,0FFC0H       ; up (minus 64), from the top to the bottom
        ADD     HL,DE
        LD      A,H
        CP      VIDEO/256
        JP      NC,VDCUR
        LD      H,(VIDEND/256)-1
        JP      VDCUR
VDHOME: LD      A,(PORTFF)      ; home, and 64 characters a line
        AND     0F7H
        CALL    SETFF
        LD      HL,VIDEO
        JP      VDCUR
VDSOL:  LD      A,L             ; start of the line
        AND     0C0H
        LD      L,A
        JP      VDCUR
VDEOL:  PUSH    HL              ; erase to the end of the line
        LD      A,L
        OR      3FH
        LD      E,A
        LD      D,H
        JR      VDFILL
VDEOS:  PUSH    HL              ; erase to the end of the screen
        LD      DE,VIDEND-1
VDFILL: LD      (HL),' '        ; spaces from HL to DE: one, then LDIR copies it
        EX      DE,HL
        OR      A
        SBC     HL,DE           ; HL = the count less one
        JR      Z,VDFIL2
        LD      B,H
        LD      C,L
        LD      H,D
        LD      L,E
        INC     DE
        LDIR
VDFIL2: POP     HL
        JP      VDCUR

; In 32-column mode, keep the cursor on an even address.
VDEVEN: LD      A,(PORTFF)
        AND     08H
        RET     Z
        RES     0,L
        RET

; Write A to port FFh, keeping the copy at 403Dh up to date.
SETFF:  LD      (PORTFF),A
        OUT     (0FFH),A
        RET

; Scroll the screen up one line; HL = the start of the bottom line, erased.
SCROLL: PUSH    BC
        PUSH    DE
        LD      HL,VIDEO+64
        LD      DE,VIDEO
        LD      BC,VIDEND-VIDEO-64
        LDIR
        POP     DE
        POP     BC
        LD      HL,LASTLIN
; Erase the 64 characters of the line starting at HL (HL kept).
ERASEL: PUSH    HL
        PUSH    BC
        LD      B,64
ERASE1: LD      (HL),' '
        INC     HL
        DJNZ    ERASE1
        POP     BC
        POP     HL
        RET

; ---- start-up, continued ----------------------------------------------------
; Warm start after the reset button (or HALT). The RAM set-up is taken as
; intact when the three DCBs still carry their names; then hold BREAK while
; pressing reset for the monitor (Level II reads BREAK there too, to skip
; the disk boot), else back to BASIC with the program kept.
WARM:   DI
        LD      HL,(KIDCB+6)
        LD      DE,'I'*256+'K'  ; "KI" read as a word (low byte first)
        OR      A
        SBC     HL,DE
        JP      NZ,INIT
        LD      HL,(DODCB+6)
        LD      DE,'O'*256+'D'
        SBC     HL,DE
        JP      NZ,INIT
        LD      HL,(PRDCB+6)
        LD      DE,'R'*256+'P'
        SBC     HL,DE
        JP      NZ,INIT
        XOR     A               ; cassette off, 64 columns
        CALL    SETFF
        CALL    CLS
        LD      A,(KEYROW6)     ; BREAK held: the monitor
        AND     04H
        JP      Z,REENTRY
        LD      HL,KIMAGE       ; the keys held now are not new to it
        LD      DE,KEYROW0
WARM1:  LD      A,(DE)
        LD      (HL),A
        INC     HL
        SLA     E
        JP      P,WARM1         ; rows 01h ... 40h
        XOR     A
        LD      (REPKEY),A
        JP      MONGO

; ---- the LPRINT path (039Ch) -------------------------------------------------
; A line feed goes to the printer as CR (Level II ends printed lines with CR
; only); the printer column at 409Bh goes back to 0 on CR and FF and counts
; the characters from 20h up. Keeps every register.
OUTLPB: PUSH    AF
        PUSH    BC
        PUSH    DE
        CP      0AH
        JR      NZ,OLP1
        LD      A,0DH
OLP1:   LD      C,A
        CP      0DH
        JR      Z,OLP2
        CP      0CH
        JR      Z,OLP2
        CP      20H
        JR      C,OLP4          ; other control codes: the column stays
        LD      A,(PRCOL)
        INC     A
        JR      OLP3
OLP2:   XOR     A
OLP3:   LD      (PRCOL),A
OLP4:   LD      A,C
        CALL    PRCHAR
        POP     DE
        POP     BC
        POP     AF
        RET

; ---- cassette bodies ----------------------------------------------------------
; Read one bit from the tape and shift it into A from the right (bit 0).
; Keeps BC, DE, HL. Level II's method (TRS80-REFERENCE 4.2): wait for the
; clock pulse to set the input flip-flop, wait 703 us, clear the flip-flop,
; wait 975 us more and look again: set means a data pulse came, a 1. The wait
; for the clock watches BREAK too: it stops the tape and goes back to BASIC.
CSBIT:  PUSH    BC
        PUSH    AF
CSBIT1: IN      A,(0FFH)        ; bit 7: a pulse came
        RLA
        JR      C,CSBIT2
        LD      A,(KEYROW6)
        AND     04H
        JR      Z,CSBIT1
        JP      CASBRK          ; BREAK
CSBIT2: LD      B,96            ; 96 x 13 T: about 703 us
CSBIT3: DJNZ    CSBIT3
        CALL    CLRFF
        LD      B,133           ; about 975 us
CSBIT4: DJNZ    CSBIT4
        IN      A,(0FFH)
        LD      B,A
        POP     AF
        RL      B               ; carry = the data pulse
        RLA
        PUSH    AF
        CALL    CLRFF           ; ready for the next clock pulse
        POP     AF
        POP     BC
        RET
CASBRK: CALL    CASOFF          ; BREAK while the tape was read
        JP      REENTRY

; 0264h: write A to the tape (see there). The delays are counted so that the
; data pulse starts 1779 T after the clock pulse, and the next clock pulse
; 3557 T (after a 1) or 3570 T (after a 0) after this one.
CSOUTB: PUSH    HL
        PUSH    DE
        PUSH    BC
        PUSH    AF
        LD      H,A             ; the bits, the top one first
        LD      L,8
        LD      A,(PORTFF)
        AND     0FCH
        LD      E,A             ; port FFh at rest (motor as it is)
CSOUT1: CALL    PULSE           ; the clock pulse
        LD      B,96
CSOUT2: DJNZ    CSOUT2
        NOP
        NOP
        RLC     H               ; carry = this bit
        JR      NC,CSOUT4
        CALL    PULSE           ; a 1: the data pulse
        LD      B,95
CSOUT3: DJNZ    CSOUT3
        LD      A,0             ; (7 T of padding)
        JR      CSOUT6
CSOUT4: LD      B,136           ; a 0: the same time without a pulse
CSOUT5: DJNZ    CSOUT5
CSOUT6: DEC     L
        JR      NZ,CSOUT1
        POP     AF
        POP     BC
        POP     DE
        POP     HL
        RET

; 0287h: the leader and sync byte. Keeps every register.
CSLEADB: PUSH   BC
        PUSH    AF
        LD      B,255
        XOR     A
CSLEAD1: CALL   CSOUT
        DJNZ    CSLEAD1
        LD      A,0A5H
        CALL    CSOUT
        POP     AF
        POP     BC
        RET

; ---- 02B2h: SYSTEM --------------------------------------------------------------
; Shows "*?" and takes a line:
;   NAME      starts the tape and loads the SYSTEM program called NAME
;             (TRS80-REFERENCE 4.4): "**" at the top right when the sync is
;             found, the right "*" blinks for every block, "C" in its place
;             when a block's checksum is wrong. Files with another name are
;             passed over. Then "*?" again, for "/".
;   /         jumps to the entry address of the program loaded (40DFh)
;   /12345    jumps to that address (decimal)
;   /M        the built-in monitor (not in Level II); back to BASIC after it
;   BREAK     back to BASIC
SYSCMD: LD      A,(CURSOR)      ; on a new line unless already at its start
        AND     3FH
        LD      A,0DH
        CALL    NZ,VDCHAR
        LD      A,'*'
        CALL    VDCHAR
        LD      A,'?'
        CALL    VDCHAR
        LD      A,' '
        CALL    VDCHAR
        LD      HL,(BUFPTR)
        LD      B,12
        CALL    LINEIN
        JP      C,REENTRY       ; BREAK
SYS1:   LD      A,(HL)          ; skip spaces
        CP      ' '
        JR      NZ,SYS2
        INC     HL
        JR      SYS1
SYS2:   CP      0DH
        JP      Z,SYSCMD        ; nothing typed: ask again
        CP      '/'
        JP      Z,SYSGO
; A name: padded with spaces to 6 characters at BUFFER+20 for the compare.
        LD      DE,(BUFPTR)
        LD      A,E
        ADD     A,20
        LD      E,A
        JR      NC,SYS3
        INC     D
SYS3:   PUSH    DE
        LD      B,6
SYS4:   LD      A,(HL)
        CP      0DH
        JR      Z,SYS5
        INC     HL
        JR      SYS6
SYS5:   LD      A,' '
SYS6:   LD      (DE),A
        INC     DE
        DJNZ    SYS4
        XOR     A               ; the tape: cassette #1, motor on
        CALL    CASON
SYSFILE: CALL   CSSYNC          ; the next file on the tape
        CALL    CSIN
        CP      55H             ; a SYSTEM file?
        JR      NZ,SYSFILE
        POP     DE              ; its name against the one typed
        PUSH    DE
        LD      B,6
        LD      C,0             ; C = 0 while they agree
SYSNAM: CALL    CSIN
        EX      DE,HL
        CP      (HL)
        EX      DE,HL
        JR      Z,SYSNM1
        INC     C
SYSNM1: INC     DE
        DJNZ    SYSNAM
        LD      A,C
        OR      A
        JR      NZ,SYSFILE      ; another program: look further
SYSBLK: CALL    CSIN            ; 3Ch: a block; 78h: the entry address
        CP      78H
        JR      Z,SYSEND
        CP      3CH
        JR      NZ,SYSBAD
        CALL    CSIN            ; the count (0 = 256)
        LD      B,A
        CALL    CSWORD          ; the address
        ADD     A,L             ; the checksum counts the address ...
        LD      C,A
SYSDAT: CALL    CSIN            ; ... and every data byte
        LD      (HL),A
        ADD     A,C
        LD      C,A
        INC     HL
        DJNZ    SYSDAT
        CALL    CSIN
        CP      C
        JR      NZ,SYSBAD
        LD      A,(TOPRGT+1)    ; blink the right "*": 2Ah <-> 20h
        XOR     0AH
        LD      (TOPRGT+1),A
        JR      SYSBLK
SYSBAD: LD      A,'C'           ; a checksum error (or no block where one
        LD      (TOPRGT+1),A    ; should be): "C", and the tape stops
        JR      SYSSTOP
SYSEND: CALL    CSWORD
        LD      (SYSENT),HL
SYSSTOP: CALL   CASOFF
        POP     DE              ; (the name's address)
        JP      SYSCMD
; "/": the entry address, given in decimal or the one the tape gave.
SYSGO:  INC     HL
        LD      A,(HL)
        CP      0DH
        JR      NZ,SYSGO1
        LD      HL,(SYSENT)
        JP      (HL)
SYSGO1: CP      'M'             ; /M: the monitor
        JR      Z,MONGO
        LD      DE,0
SYSNUM: LD      A,(HL)
        CP      0DH
        JR      Z,SYSJP
        SUB     '0'
        CP      10
        JP      NC,SYSCMD       ; not a number: ask again
        PUSH    HL
        LD      H,D             ; DE = DE x 10 + the digit
        LD      L,E
        ADD     HL,HL
        ADD     HL,HL
        ADD     HL,DE
        ADD     HL,HL
        LD      E,A
        LD      D,0
        ADD     HL,DE
        EX      DE,HL
        POP     HL
        INC     HL
        JR      SYSNUM
SYSJP:  EX      DE,HL
        JP      (HL)

; The built-in monitor (monitor.asm): it returns when the user leaves it.
MONGO:  CALL    MONITOR
        JP      REENTRY

; ============================================================================
; The rest of the ROM, each part in its own file
; ============================================================================
        INCLUDE "monitor.asm"           ; 0B00h-0FFFh: the built-in monitor
        INCLUDE "basic/basic.asm"       ; 0A7Fh-0AFFh and 1000h-2FFFh: BASIC

; ============================================================================
; What needs BASIC's labels comes after it (the assembler decides IFDEF
; when it reads the line).
; ============================================================================
; 06CCh: back to BASIC keeping the program (Level II's "best re-entry").
        ORG     06CCH
REENTRY:
        IFDEF   READY
        JP      READY
        ELSE
        JP      BASIC           ; until BASIC has its READY label: the cold start
        ENDIF

; Where the Disk BASIC vectors 4152h-41A5h jump: ?L3 ERROR, or a RET while
; BASIC does not define L3ERR.
        IFDEF   L3ERR
L3TGT   EQU     L3ERR
        ELSE
L3TGT   EQU     RAMTAB+0CH      ; the RET copied to 400Ch
        ENDIF

        END
