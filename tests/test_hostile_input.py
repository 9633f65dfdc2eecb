"""Hostile input over HTTP, against a real Redis: bodies nested to break a recursive parser,
text that is no Unicode, stream ids Redis refuses, a Redis out of memory, and names dressed
in invisible characters (bidi overrides, zero-width, variation selectors, emoji, ANSI) to look
like, or hide, a listed name. Each is a clear 4xx naming the field, or screened as displayed."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import replace
from pathlib import Path

import pytest
import redis

from service.app import create_app
from service.config import Settings
from service.loader import load_list
from service.sanitize import clean
from service.store import ListStore
from tests.bulk_helpers import bulk_settings, drain, load_fixture_lists
from tests.conftest import RedisServer

# The SDN list of 2021-07-07 as OFAC published it (legacy CSV set, with addresses).
SDN_2021 = ("sdn.csv", "add.csv", "alt.csv", "sdn_comments.csv")
PRIGOZHIN = "us_ofac_sdn:21171"  # "PRIGOZHIN, Yevgeniy Viktorovich", sdn.csv of 2021-07-07
SHOWN = "Yevgeniy Prigozhin"
RLO, PDF = "\u202e", "\u202c"
# Everything that must never come back raw: the controls and invisibles these tests send.
RAW = (RLO, PDF, "\u200b", "\u200d", "\ufe0f", "\x1b", "\U0001f600")


def real_sdn(redis_client: redis.Redis, shared_lists: Path) -> None:
    folder = shared_lists / "ofac" / "sdn-2021-07-07"
    load_list(ListStore(redis_client), "us_ofac_sdn", "ofac_csv", [folder / name for name in SDN_2021])


@pytest.fixture
def real(settings: Settings, redis_client: redis.Redis, shared_lists: Path):  # type: ignore[no-untyped-def]
    """The app serving the real 2021 SDN list."""
    real_sdn(redis_client, shared_lists)
    return create_app(replace(settings, enabled_lists=("us_ofac_sdn",)), redis_client=redis_client)


@pytest.fixture
def empty(settings: Settings, redis_client: redis.Redis):  # type: ignore[no-untyped-def]
    """The app with no list to serve: bad input must be refused before any list is read."""
    return create_app(replace(settings, enabled_lists=()), redis_client=redis_client).test_client()


def deep_array(depth: int) -> str:
    return "[" * depth + "]" * depth


def deep_object(depth: int) -> str:
    return '{"a": ' * depth + "1" + "}" * depth


def assert_names(response, field: str, words: str) -> None:  # type: ignore[no-untyped-def]
    assert response.status_code == 400, response.get_data(as_text=True)[:300]
    fields = response.json["error"]["details"]["fields"]
    assert any(path == field or path.startswith(field + ".") for path in fields), fields
    assert words in json.dumps(fields), fields


# --- 3. 500s on bad input ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        ("/v1/screen", '{"name": %s}', "name"),
        ("/v1/screen/batch", '{"queries": [{"name": "Acme"}, {"name": %s}]}', "queries.1.name"),
        ("/v1/compare", '{"query": {"name": "Acme"}, "record": {"names": %s}}', "record.names"),
        ("/v1/keys", '{"name": %s, "scopes": ["screen"]}', "name"),
    ],
)
@pytest.mark.parametrize(
    ("nesting", "why"),
    [
        (deep_array(100_000), "100,000 arrays: deeper than Python's recursion limit"),
        (deep_object(5_000), "5,000 objects: deeper than Python's recursion limit"),
        (deep_array(40), "40 arrays: decodes, but no request nests so deep"),
    ],
)
def test_a_body_nested_too_deep_is_400_naming_the_field(empty, conforms, path, body, field, nesting, why) -> None:  # type: ignore[no-untyped-def]
    response = empty.post(path, data=body % nesting, content_type="application/json")
    assert_names(response, field, "levels deep")
    conforms(response, path, "post")


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        ("/v1/screen", {"name": "\ud800x"}, "name"),
        ("/v1/screen", {"name": "Acme", "address": {"city": "Ber\udc00lin"}}, "address.city"),
        ("/v1/screen/batch", {"queries": [{"name": "Acme"}, {"name": "x\udfff"}]}, "queries.1.name"),
        ("/v1/compare", {"query": {"name": "Acme"}, "record": {"names": ["\ud800"]}}, "record.names"),
        ("/v1/keys", {"name": "crm\ud800", "scopes": ["screen"]}, "name"),
        ("/v1/screen", {"name": "Acme", "address": {"\ud800": "x"}}, "address"),
    ],
)
def test_a_lone_surrogate_is_400_naming_the_field(empty, redis_client, conforms, path, body, field) -> None:  # type: ignore[no-untyped-def]
    # json.dumps writes a lone surrogate as the escape "\ud800": valid JSON, no valid text.
    response = empty.post(path, data=json.dumps(body), content_type="application/json")
    assert_names(response, field, "surrogate")
    conforms(response, path, "post")
    assert not redis_client.exists("scr:audit")  # refused before anything was recorded


def test_an_unknown_field_with_a_control_in_its_name_is_named_escaped(empty, conforms) -> None:  # type: ignore[no-untyped-def]
    response = empty.post("/v1/screen", json={"name": "Acme", f"{RLO}eman": "x"})
    assert_names(response, "\\u202eeman", "Unknown field")
    conforms(response, "/v1/screen", "post")
    assert RLO not in response.get_data(as_text=True)


def test_a_screening_id_redis_cannot_read_is_404_not_503(empty, conforms) -> None:  # type: ignore[no-untyped-def]
    for bad in ("1796312947449-99999999999999999999", "99999999999999999999-0", "1-18446744073709551616"):
        response = empty.get(f"/v1/screenings/{bad}")
        assert response.status_code == 404, (bad, response.json)
        conforms(response, "/v1/screenings/{screening_id}")
    assert empty.get("/v1/screenings/1-18446744073709551615").status_code == 404  # the largest id: none recorded


def test_redis_out_of_memory_is_named_not_unreachable(settings: Settings, redis_server: RedisServer, conforms) -> None:  # type: ignore[no-untyped-def]
    # A Redis of this test's own: its memory limit is set on it alone.
    client = redis.Redis.from_url(redis_server.url)
    load_list(ListStore(client), "us_ofac_sdn", "ofac_csv", [Path(__file__).parent / "fixtures" / "ofac_csv" / n
                                                             for n in SDN_2021])  # fmt: skip
    app = create_app(replace(settings, redis_url=redis_server.url, enabled_lists=("us_ofac_sdn",)), redis_client=client)
    http = app.test_client()
    assert http.post("/v1/screen", json={"name": "Islamic Revolutionary Guard Corps"}).status_code == 200
    client.config_set("maxmemory-policy", "noeviction")
    client.config_set("maxmemory", 1)  # below what it holds: every write is refused
    try:
        response = http.post("/v1/screen", json={"name": "Islamic Revolutionary Guard Corps"})
    finally:
        client.config_set("maxmemory", 0)
    assert response.status_code == 503
    conforms(response, "/v1/screen", "post")
    error = response.json["error"]
    assert error["code"] == "redis_out_of_memory"
    assert "out of memory" in error["message"] and "refuses writes" in error["message"]
    assert "unreachable" not in error["message"]
    # Nothing was answered that was not recorded: the refusal was the audit trail's write.
    assert "audit trail" in error["message"]


# --- 4. Invisible characters ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("given", "shown", "why"),
    [
        (RLO + SHOWN[::-1], SHOWN, "an override left open: the whole name displays reversed"),
        (f"{RLO}nihzogirP{PDF} Yevgeniy", "Prigozhin Yevgeniy", "an override closed by PDF"),
        ("Yevge\u200bniy Prigo\u200dzhin", SHOWN, "zero-width space and joiner inside words"),
        ("Yevgeniy\ufe0f Prigozhin\U000e0041", SHOWN, "a variation selector and a tag character"),
        ("\U0001f600Yevgeniy \u2764\ufe0f Prigozhin\U0001f44d\U0001f3fd", SHOWN, "emoji, a skin tone modifier"),
        ("\x1b[31mYevgeniy\x1b[0m Prigozhin\x1b]0;title\x07", SHOWN, "ANSI colour and window-title escapes"),
        ("\u200fYevgeniy\u200e Prigozhin\u2066", SHOWN, "bidi marks and an isolate: removed, order kept"),
        ("Yevgeniy\u00adPrigozhin", "YevgeniyPrigozhin", "a soft hyphen displays as nothing mid-line"),
        ("Ахмед\u200c Али", "Ахмед Али", "a zero-width non-joiner in Cyrillic"),
        ("\u202eعلي حسن", "علي حسن", "an override leaves Arabic letters reading as written"),
    ],
)
def test_clean_resolves_or_removes_what_hides_a_name(given: str, shown: str, why: str) -> None:
    text, done = clean(given)
    assert text == shown, why
    assert done, why
    assert not any(ch in text for ch in RAW), why


ORDINARY = ["Acme Trading GmbH", "Müller & Söhne", "Иванов Иван", "علي حسن", "王小明", "O'Brien"]


@pytest.mark.parametrize("plain", ORDINARY)
def test_clean_leaves_ordinary_names_alone(plain: str) -> None:
    assert clean(plain) == (plain, clean("")[1])
    assert not clean(plain)[1]


def test_the_fast_path_misses_no_control_or_format_character() -> None:
    # clean() returns text untouched when its one regex finds nothing: that regex must cover
    # every control, format character (bidi, zero-width, tags …) and surrogate Unicode has.
    import unicodedata

    from service.sanitize import _SUSPECT

    missed = [
        f"U+{code:04X}"
        for code in range(0x110000)
        if unicodedata.category(chr(code)) in ("Cc", "Cf", "Cs") and not _SUSPECT.match(chr(code))
    ]
    assert not missed


def test_a_right_to_left_override_screens_as_the_name_it_displays(real, conforms) -> None:  # type: ignore[no-untyped-def]
    http = real.test_client()
    given = RLO + SHOWN[::-1]  # "\u202enihzogirP yinegveY": displays "Yevgeniy Prigozhin"
    response = http.post("/v1/screen", json={"name": given, "kind": "person"})
    assert response.status_code == 200, response.json
    conforms(response, "/v1/screen", "post")
    hit = response.json["hits"][0]
    assert hit["entity_id"] == PRIGOZHIN and hit["match"] is True
    assert response.json["sanitized"] == [
        {"field": "name", "removed": ["U+202E RIGHT-TO-LEFT OVERRIDE"], "reordered": True}
    ]
    body = response.get_data(as_text=True)
    assert RLO not in body and "\\u202e" not in body.lower()
    assert f"'{SHOWN}'" in hit["features"][0]["detail"]  # the explanation quotes the name as displayed

    record = http.get(f"/v1/screenings/{response.json['screening_id']}")
    conforms(record, "/v1/screenings/{screening_id}")
    assert record.json["input"]["name"] == SHOWN
    assert record.json["sanitized"][0]["field"] == "name"
    assert RLO not in record.get_data(as_text=True)


def test_every_kind_of_invisible_character_is_removed_in_a_batch(real, conforms) -> None:  # type: ignore[no-untyped-def]
    http = real.test_client()
    disguised = [
        "Yevge\u200bniy Prigo\u200dzhin",
        "\U0001f600Yevgeniy\ufe0f Prigozhin",
        "\x1b[1mYevgeniy\x1b[0m Prigozhin",
    ]
    queries = [{"name": name, "kind": "person"} for name in disguised] + [{"name": "Acme Widgets"}]
    response = http.post("/v1/screen/batch", json={"queries": queries})
    assert response.status_code == 200, response.json
    conforms(response, "/v1/screen/batch", "post")
    results = response.json["results"]
    for result in results[:3]:
        assert result["hits"][0]["entity_id"] == PRIGOZHIN and result["hits"][0]["match"] is True
        assert [note["field"] for note in result["sanitized"]] == ["name"]  # relative to its query
    assert results[3]["sanitized"] == []
    assert not any(ch in response.get_data(as_text=True) for ch in RAW)


def test_compare_says_what_it_removed_from_the_query_and_the_record(empty, conforms) -> None:  # type: ignore[no-untyped-def]
    body = {"query": {"name": RLO + SHOWN[::-1]}, "record": {"names": ["PRIGOZHIN, Yevgeniy\u200b Viktorovich"]}}
    response = empty.post("/v1/compare", json=body)
    assert response.status_code == 200, response.json
    conforms(response, "/v1/compare", "post")
    assert response.json["match"] is True
    assert [n["field"] for n in response.json["sanitized"]] == ["query.name", "record.names.0"]
    assert response.json["query_name"] == SHOWN


def test_the_csv_output_never_echoes_a_control_and_screens_what_displays(real) -> None:  # type: ignore[no-untyped-def]
    http = real.test_client()
    rows = [("1", RLO + SHOWN[::-1]), ("2", "Yevge\u200bniy \x1b[31mPrigozhin"), ("3\u202e", "Acme Widgets\U0001f600")]
    upload = "id,name\n" + "".join(f"{i},{n}\n" for i, n in rows)
    for fmt in ("csv", "jsonl"):
        response = http.post(f"/v1/screen/csv?format={fmt}", data=upload.encode(), content_type="text/csv")
        assert response.status_code == 200
        text = response.get_data(as_text=True)
        assert not any(ch in text for ch in RAW), fmt
        if fmt == "csv":
            out = list(csv.DictReader(io.StringIO(text)))
        else:
            out = [json.loads(line) for line in text.splitlines()]
        # The stream's last row is its trailer: complete, rows screened.
        *out, trailer = out
        assert trailer["row"] == "end" and trailer["decision"] == "complete"
        assert [r["decision"] for r in out] == ["hit", "hit", "clear"], out
        best = out[0] if fmt == "csv" else out[0]["hits"][0]
        assert out[0]["name"] == SHOWN and best["entity_id"] == PRIGOZHIN
        assert "U+202E RIGHT-TO-LEFT OVERRIDE" in out[0]["note"] and "name:" in out[0]["note"]
        assert "ANSI escape sequence" in out[1]["note"] and "U+200B ZERO WIDTH SPACE" in out[1]["note"]
        assert out[2]["row_id"] == "3" and out[2]["name"] == "Acme Widgets"


def test_a_job_keeps_what_was_removed_with_its_rows(settings: Settings, redis_client) -> None:  # type: ignore[no-untyped-def]
    job_settings = bulk_settings(settings)
    load_fixture_lists(redis_client)
    http = create_app(job_settings, redis_client=redis_client).test_client()
    name = "Islamic Revolutionary Guard Corps"
    upload = f"id,name\n1,{RLO}{name[::-1]}\n".encode()
    created = http.post(
        "/v1/jobs", data={"file": (io.BytesIO(upload), "people.csv")}, content_type="multipart/form-data"
    )
    assert created.status_code == 202, created.json
    drain(job_settings, redis_client)  # the rows go through Redis and back: the note with them
    results = http.get(f"/v1/jobs/{created.json['job_id']}/results")
    text = results.get_data(as_text=True)
    assert RLO not in text
    (row,) = csv.DictReader(io.StringIO(text))
    assert row["decision"] == "hit" and row["name"] == name and "RIGHT-TO-LEFT OVERRIDE" in row["note"]
