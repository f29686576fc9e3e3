; The built-in hex monitor (0B00h-0FFFh). Not written yet.
        ORG     0B00H
MONITOR: RET
