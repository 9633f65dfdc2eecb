"""Shared by the bulk tests: the small fixture lists loaded, and an RQ queue drained in-process."""

from __future__ import annotations

import csv
import io
from dataclasses import replace

import redis
from rq import Queue, SimpleWorker

from service.bulk import jobs
from service.bulk.engine import Engine
from service.bulk.keys import QUEUE
from service.bulk.runtime import job_store, screener
from service.config import Settings
from service.loader import load_list
from service.store import ListStore
from tests.conftest import FIXTURES

ENABLED = ("us_ofac_sdn", "un_sc")
OFAC_CSV = [FIXTURES / "ofac_csv" / name for name in ("sdn.csv", "add.csv", "alt.csv", "sdn_comments.csv")]
UN_XML = [FIXTURES / "un" / "consolidated-sample.xml"]
BULK = FIXTURES / "bulk"

IRGC = "us_ofac_sdn:10391"  # ISLAMIC REVOLUTIONARY GUARD CORPS
NAQDI = "us_ofac_sdn:12057"  # NAQDI, Mohammad Reza
ARTAVIL = "us_ofac_sdn:15036"  # ARTAVIL, vessel


def bulk_settings(settings: Settings, **changes: object) -> Settings:
    return replace(settings, enabled_lists=ENABLED, **changes)  # type: ignore[arg-type]


def load_fixture_lists(client: redis.Redis) -> dict[str, str]:
    store = ListStore(client)
    load_list(store, "us_ofac_sdn", "ofac_csv", OFAC_CSV)
    load_list(store, "un_sc", "un_xml", UN_XML)
    return store.current()


def drain(settings: Settings, client: redis.Redis) -> None:
    """Run the bulk queue's tasks in this process until it is empty, as `screening worker --burst` would."""
    jobs.bind(jobs.WorkerContext(jobs=job_store(settings, client), engine=Engine(screener(settings, client))))
    SimpleWorker([Queue(QUEUE, connection=client)], connection=client).work(burst=True, with_scheduler=False)


def parse(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))
