"""qms benchmarks: each compares our code path against a named baseline in the same run.

``python -m bench [NAME ...]`` (or ``make bench NAME=x``) writes ``bench/results/NAME.json``.
"""
