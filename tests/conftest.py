"""Shared fixtures for the tests under tests/."""
from __future__ import annotations

# Deliberately broken notebooks live here; only the contract tests read them.
collect_ignore_glob = ["fixtures/*"]
