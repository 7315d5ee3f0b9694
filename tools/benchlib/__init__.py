"""The pieces of tools/bench.py, one concern each (see each module's docstring)."""
