"""Tests for Executable PyTorch: nbval over the notebooks, contract, build, student, browser."""
