"""Tests of the emulator (reelgate.emulator) and the renderer (reelgate.render)."""
