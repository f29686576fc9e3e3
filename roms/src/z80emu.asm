; z80emu free ROM for the TRS-80 Model I
; ==========================================
;
; Written from scratch for z80emu (no byte of it comes from a Radio Shack ROM),
; and built by the project's own assembler: python tools/build_rom.py
;
; What it does today: it boots, sizes memory, clears the screen, shows a
; banner, starts the Expansion Interface heartbeat interrupt, then reads the
; keyboard and echoes what is typed, with a cursor, scrolling at the bottom.
;
; It follows the Level II layout wherever a program might notice: the entry
; points sit at the Level II addresses (002Bh scan the keyboard, 0033h show
; a character, 0049h wait for a key, 0060h delay, 01C9h clear the screen...),
; the RST vectors jump to the RAM vectors at 4000h-4014h, and the keyboard,
; video and printer drivers are reached through device control blocks
; (DCBs) at 4015h, 401Dh and 4025h, as TRS80-REFERENCE.md section 6.4
; describes. roms/README.md lists what is provided.
;
; Hardware facts used (TRS80-REFERENCE.md): keyboard rows at 3801h..3880h,
; a held key reads 1 (section 2); video RAM 3C00h-3FFFh, 64 x 16 (section 3);
; port FFh bit 3 = 32 columns (section 4.1); interrupt latch at 37E0h, read
; to clear the heartbeat bit (section 7.2); printer status/data at 37E8h
; (section 8.1).

; ---- hardware ---------------------------------------------------------------
LATCH   EQU     37E0H           ; Expansion Interface interrupt latch (read)
PRINTER EQU     37E8H           ; printer status (read) / data (write)
KEYROW0 EQU     3801H           ; keyboard row 0; row n is at 3800h + (1 << n)
KEYROW6 EQU     3840H           ; ENTER CLEAR BREAK UP DOWN LEFT RIGHT SPACE
KEYSHFT EQU     3880H           ; row 7: SHIFT
VIDEO   EQU     3C00H           ; video RAM, 64 x 16
VIDEND  EQU     4000H           ; first address after video RAM
LASTLIN EQU     3FC0H           ; start of the bottom line

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
MEMSIZ  EQU     40B1H           ; highest RAM address

; ---- RAM: this ROM's own variables ---------------------------------------------
TICKS   EQU     4040H           ; heartbeat count (25 ms each), as Model I DOSes keep
CURON   EQU     4041H           ; cursor wanted: 0 = off
LCMOD   EQU     4042H           ; FFh when the lowercase modification is fitted
STACK   EQU     4200H           ; the stack grows down from here

DEBOUNCE EQU    200             ; keyboard debounce: 200 x 26 T = about 2.9 ms

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

        ORG     0066H
NMI:    JP      INIT            ; the reset button (and HALT): start again

; ============================================================================
; Start-up
; ============================================================================
INIT:   DI
        LD      SP,STACK
        LD      HL,RAMTAB       ; RST vectors, DCBs and hooks -> 4000h-4035h
        LD      DE,RAMVEC
        LD      BC,RAMTABEND-RAMTAB
        LDIR
        LD      HL,KIMAGE       ; clear the keyboard images and our variables
        LD      B,LCMOD-KIMAGE+1
CLRVAR: LD      (HL),0
        INC     HL
        DJNZ    CLRVAR
; Is the lowercase modification fitted? A stock machine keeps no bit 6 in
; video RAM: 60h written reads back as 20h.
        LD      HL,VIDEO
        LD      (HL),60H
        LD      A,(HL)
        SUB     60H
        JR      NZ,SIZE
        DEC     A               ; A = FFh: lowercase present
        LD      (LCMOD),A
; Size memory a page at a time: complement the last byte of each page and
; read it back; absent memory keeps nothing.
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
        LD      (PORTFF),A
        OUT     (0FFH),A
        LD      A,0FFH
        LD      (CURON),A       ; cursor on
        CALL    CLS
        LD      HL,BANNER
        CALL    PRINT
        LD      A,(MEMSIZ+1)    ; RAM in KB = (top page - 3Fh) / 4
        SUB     3FH
        SRL     A
        SRL     A
        CALL    PRDEC
        LD      HL,RAMMSG
        CALL    PRINT
        IM      1               ; the heartbeat comes through RST 38h
        EI

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

BANNER: DB      "Z80EMU FREE ROM 0.1",0DH,0
RAMMSG: DB      "K RAM",0DH,0

; The 36h bytes copied to 4000h-4035h at start-up (the Level II layout).
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

; RST 18h: compare HL with DE (Z if equal, carry if HL < DE); uses A.
CPDEHL: LD      A,H
        SUB     D
        RET     NZ
        LD      A,L
        SUB     E
        RET

; The heartbeat (every 25 ms with an Expansion Interface): read the latch,
; which clears it, and count the tick.
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
; is read again after a short delay (debounce) before it counts.
; ============================================================================
        ORG     03E3H
KEYDRV: LD      HL,KIMAGE
        LD      DE,KEYROW0
        LD      B,0             ; key number of the row's D0 (row x 8)
KDROW:  LD      A,(DE)          ; the row: 1 = key down
        LD      C,A
        XOR     (HL)            ; changed since the last scan
        AND     C               ; ... and down now
        LD      (HL),C          ; remember the row
        JR      NZ,KDNEW
        INC     HL
        LD      A,B
        ADD     A,8
        LD      B,A
        SLA     E               ; next row address: 01h, 02h ... 40h
        BIT     7,E
        JR      Z,KDROW
        XOR     A               ; no new key
        RET
KDNEW:  LD      C,A             ; C = the new keys of this row
        PUSH    BC
        LD      BC,DEBOUNCE
        CALL    DELAY
        POP     BC
        LD      A,(DE)          ; read the row again
        LD      (HL),A
        AND     C
        RET     Z               ; it was a bounce
KDBIT:  RRCA                    ; key number = row x 8 + lowest new bit
        JR      C,KDCODE
        INC     B
        JR      KDBIT
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
        CP      01H             ; BREAK calls the RST 28h hook
        RET     NZ
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

; ============================================================================
; 058Dh: the printer driver. C = character; 0 only asks for the status.
; Waits until the printer is ready (status AND F0h = 30h), then sends C.
; ============================================================================
        ORG     058DH
PRTDRV: LD      A,C
        OR      A
        JR      Z,PRSTAT
PRWAIT: CALL    PRSTAT
        JR      NZ,PRWAIT
        LD      A,C
        LD      (PRINTER),A
        RET
PRSTAT: LD      A,(PRINTER)     ; Z when ready
        AND     0F0H
        CP      30H
        RET

; ============================================================================
; The rest of the video driver: control codes, scrolling, erasing.
; ============================================================================
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

; ============================================================================
; The rest of the ROM, each part in its own file
; ============================================================================
        INCLUDE "monitor.asm"           ; 0B00h-0FFFh: the built-in monitor
        INCLUDE "basic/basic.asm"       ; 0A7Fh-0AFFh and 1000h-2FFFh: BASIC

        END
