"""Hostile tests: loads and inputs meant to break medkg, each with a bounded size."""
