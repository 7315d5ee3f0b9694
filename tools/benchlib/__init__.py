"""The parts of `make bench` (tools/bench.py) that stand on their own: the Xen peer, the table
of targets, the scaling plot."""
