"""Whole machines built from the CPU, the bus and the devices: the TRS-80 Model I
(trs80) and its save-state format (state)."""
