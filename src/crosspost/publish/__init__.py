"""Publish: one planned post's life (claim in the ledger, send through its adapter,
record the outcome, reconcile what is unknown) and the concurrent fan-out."""
