"""What the app factory wires up once and the views share."""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app

from service.catalog import Manifest
from service.screening import Screener
from service.store import ListStore


@dataclass(frozen=True)
class Services:
    store: ListStore
    manifests: dict[str, Manifest]
    enabled: list[str]  # ids of the lists the service must serve
    screener: Screener  # keeps this worker's in-memory index of the lists


def services() -> Services:
    return current_app.extensions["screening"]
