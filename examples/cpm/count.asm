; count.asm - a CP/M program that counts from 1 to 10 in decimal, one number a line.
;
; Shows: BDOS console output (function 2 for a character, 9 for a $-string),
; a subroutine that prints a byte in decimal, and ending with a warm boot.
;
;   z80emu asm examples/cpm/count.asm -o count.com
;   z80emu cpm count.com --stats

BDOS    EQU  0005h                  ; CP/M service entry: function number in C
CONOUT  EQU  2                      ; print the character in E
PRINT   EQU  9                      ; print the $-terminated string at DE

        ORG  0100h                  ; CP/M loads .COM programs here

START:  LD   DE,TITLE
        LD   C,PRINT
        CALL BDOS
        LD   B,1                    ; the number to print
NEXT:   LD   A,B
        CALL DECIMAL
        LD   DE,CRLF
        LD   C,PRINT
        PUSH BC                     ; the BDOS may change any register
        CALL BDOS
        POP  BC
        INC  B
        LD   A,B
        CP   11
        JR   C,NEXT
        JP   0000h                  ; warm boot: back to CP/M (ends z80emu cpm)

; Print A (0-255) in decimal without leading zeros.
DECIMAL:
        PUSH BC
        LD   C,0                    ; C = 1 once a digit has been printed
        LD   B,100
        CALL DIGIT
        LD   B,10
        CALL DIGIT
        LD   C,1                    ; always print the units, even 0
        LD   B,1
        CALL DIGIT
        POP  BC
        RET

; Print the digit A / B (B = 100, 10 or 1) and leave A mod B in A.
DIGIT:  LD   E,'0'-1
DLOOP:  INC  E
        SUB  B
        JR   NC,DLOOP
        ADD  A,B                    ; one subtraction too many
        LD   D,A                    ; keep the remainder
        LD   A,E
        CP   '0'
        JR   NZ,DSHOW               ; a non-zero digit is always printed
        LD   A,C
        OR   A
        JR   Z,DDONE                ; a leading zero is not
DSHOW:  LD   C,CONOUT
        PUSH DE
        CALL BDOS
        POP  DE
        LD   C,1
DDONE:  LD   A,D
        RET

TITLE:  DB   'Counting to 10:',13,10,'$'
CRLF:   DB   13,10,'$'
