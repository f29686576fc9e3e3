"""The Model I's devices, each knowing nothing of the CPU's insides or of frontends:
keyboard matrix and typing queue (keyboard), video RAM rendering and the font
(video, font), port FFh (cassette), the Expansion Interface interrupt latch and
heartbeat (interrupts), and clock constants with the wall-clock throttle (timing).
Facts come from ../shared/docs/TRS80-REFERENCE.md, cited in each module.
"""
