"""Execution engines besides the local runner (`[run] engine`).

`curate.runner` is the local engine and the reference; an engine here runs the same
stages (their own `annotate`/`decide`) and writes the same ledger and outputs. Importing
this package imports no engine library: `curate.engines.ray` imports Ray when it runs.
"""
