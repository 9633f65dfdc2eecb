"""Ongoing screening: the monitored book, its alerts and the analysts' decisions on them.

``book`` keeps the counterparties (in the relational database), ``alerts`` their alerts and
the append-only history, ``monitor`` screens the book with the service's own ``Screener``
and turns matches into alerts.
"""
