"""Matching: pure normalisation, candidate selection and scoring. No Flask, no Redis."""
