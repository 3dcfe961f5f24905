"""Benchmarks: ``python -m bench`` times each task against a raw baseline run in the same session.

Add a benchmark by adding a module ``bench/bench_<area>.py`` that registers tasks with
:func:`bench.runner.benchmark`; the runner discovers it.
"""
