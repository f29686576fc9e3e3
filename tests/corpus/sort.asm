; Sorting and searching: bubble sort of a byte table, binary search, a
; string compare and a CPIR keyword scan.  Data tables built with DB/DW/DS.

COUNT:    EQU 12
NOTFOUND: EQU 0FFH

          ORG 5200H
ENTRY:    LD HL,NUMBERS
          LD B,COUNT
          CALL BSORT
          LD A,42
          CALL BSEARCH
          LD HL,WORD1
          LD DE,WORD2
          CALL STRCMP
          LD A,'G'
          CALL FINDKEY
          RET

; bubble sort B bytes at HL, ascending
BSORT:    LD C,B
          DEC C
          RET Z
OUTER:    PUSH HL
          LD B,C
          LD D,0                 ; swapped flag
INNER:    LD A,(HL)
          INC HL
          CP (HL)
          JR C,NOSWAP
          JR Z,NOSWAP
          LD E,(HL)
          LD (HL),A
          DEC HL
          LD (HL),E
          INC HL
          LD D,1
NOSWAP:   DJNZ INNER
          POP HL
          BIT 0,D
          RET Z
          DEC C
          JR NZ,OUTER
          RET

; binary search for A in the sorted table; A = index or NOTFOUND
BSEARCH:  LD E,A
          LD B,0                 ; low
          LD C,COUNT-1           ; high
BSLOOP:   LD A,C
          CP B
          JR C,BSNONE
          LD A,B
          ADD A,C
          SRL A                  ; middle
          LD L,A
          LD H,0
          PUSH DE
          LD DE,NUMBERS
          ADD HL,DE
          POP DE
          LD D,A
          LD A,(HL)
          CP E
          JR Z,BSHIT
          JR C,BSUP
          LD A,D
          DEC A
          LD C,A
          JR BSLOOP
BSUP:     LD A,D
          INC A
          LD B,A
          JR BSLOOP
BSHIT:    LD A,D
          RET
BSNONE:   LD A,NOTFOUND
          RET

; compare zero-terminated strings at HL and DE; Z if equal, C if HL<DE
STRCMP:   LD A,(DE)
          CP (HL)
          RET NZ
          OR A
          RET Z
          INC HL
          INC DE
          JR STRCMP

; look A up in the key letters; HL = handler address or 0
FINDKEY:  LD HL,KEYS
          LD BC,NKEYS
          CPIR
          LD HL,0
          RET NZ
          LD A,NKEYS-1
          SUB C
          ADD A,A
          LD E,A
          LD D,0
          LD HL,HANDLERS
          ADD HL,DE
          LD A,(HL)
          INC HL
          LD H,(HL)
          LD L,A
          RET

GO:       RET
LIST:     RET
QUIT:     RET

NUMBERS:  DB 99, 42, 7, 0, 255, 128, 64, 13, 42, 1, 200, 17
WORD1:    DB "ZILOG",0
WORD2:    DB 'ZILOG',0
KEYS:     DB "GLQ"
NKEYS:    EQU $-KEYS
HANDLERS: DW GO, LIST, QUIT
SCRATCH:  DS 8, 0E5H
          DS 4
          DB "It's",0
          END ENTRY
