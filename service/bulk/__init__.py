"""Bulk screening: a CSV of counterparties in, one screened row (or one row per hit) out.

``reader`` turns an uploaded file into rows, ``engine`` screens them in batches,
``writer`` formats the output and decides hit / review / clear, ``summary`` counts, and
``jobs`` runs large files on RQ workers, with every Redis key they use in ``keys``.
"""
