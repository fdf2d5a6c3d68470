"""Benchmarks: Frontdesk against the physical limits of its own stack (``run.py``)."""
