"""Robustness tooling for jxmb: a generated bad-input corpus and a fuzzer.

    python -m fuzz --minutes 30        # run the fuzzers, print the figures

Nothing here is downloaded: every bad input is built from the samples and a few
lines of code (see corpus.py).
"""
