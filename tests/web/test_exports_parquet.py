"""Parquet exports of the quote and entity tables, read back with pyarrow; CSV stays as it was."""

from __future__ import annotations

import csv
import io
from dataclasses import replace
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from fastapi.testclient import TestClient
from webdata import TEXT, span, tiny_briefing

from storyline.model import Quote, Role
from storyline.web import create_app


@pytest.fixture
def client(tmp_path: Path) -> TestClient:
    base = tiny_briefing()
    # A quote nobody is named for (nulls in Parquet), and an entity with a role said twice.
    unattributed = Quote("q2", span(TEXT, "river bridge"), "river bridge", "partial")
    mayor = Role("mayor", span(TEXT, "Mayor"))
    ruiz = replace(base.entities[0], roles=(mayor, mayor))
    briefing = replace(base, quotes=(*base.quotes, unattributed), entities=(ruiz, *base.entities[1:]))
    return TestClient(create_app(tmp_path / "store.db", briefing=briefing))


def _parquet(client: TestClient, table: str) -> pa.Table:
    response = client.get(f"/api/export/{table}.parquet")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/vnd.apache.parquet"
    assert response.headers["content-disposition"] == f'attachment; filename="{table}.parquet"'
    return pq.read_table(io.BytesIO(response.content))


def test_quotes_parquet_has_typed_columns_and_nulls(client: TestClient) -> None:
    table = _parquet(client, "quotes")
    assert table.schema == pa.schema(
        [(name, pa.string()) for name in "id story article site speaker_id speaker kind text cue".split()]
        + [("start", pa.int64()), ("end", pa.int64())]
    )
    bridge = span(TEXT, "river bridge")
    said = span(TEXT, "Ruiz is wrong about the bridge,")
    assert table.to_pylist() == [
        {
            "id": "q1",
            "story": "s1",
            "article": "a1",
            "site": "Test Gazette",
            "speaker_id": "tom-hale",
            "speaker": "Tom Hale",
            "kind": "direct",
            "text": "Ruiz is wrong about the bridge,",
            "cue": "said",
            "start": said.start,
            "end": said.end,
        },
        {
            "id": "q2",
            "story": "s1",
            "article": "a1",
            "site": "Test Gazette",
            "speaker_id": None,
            "speaker": None,
            "kind": "partial",
            "text": "river bridge",
            "cue": None,
            "start": bridge.start,
            "end": bridge.end,
        },
    ]


def test_entities_parquet_keeps_variants_and_roles_as_lists(client: TestClient) -> None:
    table = _parquet(client, "entities")
    assert table.schema.field("variants").type == pa.list_(pa.string())
    assert table.column("mentions").type == pa.int64()
    assert table.to_pylist() == [
        {
            "id": "ana-ruiz",
            "name": "Ana Ruiz",
            "type": "PERSON",
            "variants": ["Ruiz"],
            "roles": ["mayor"],
            "mentions": 2,
            "articles": 1,
        },
        {
            "id": "tom-hale",
            "name": "Tom Hale",
            "type": "PERSON",
            "variants": ["Hale"],
            "roles": [],
            "mentions": 1,
            "articles": 1,
        },
        {
            "id": "council",
            "name": "council",
            "type": "ORG",
            "variants": [],
            "roles": [],
            "mentions": 1,
            "articles": 1,
        },
    ]


def test_the_csv_tables_hold_the_same_rows_as_text(client: TestClient) -> None:
    quotes = list(csv.reader(io.StringIO(client.get("/api/export/quotes.csv").text)))
    assert quotes[2] == ["q2", "s1", "a1", "Test Gazette", "", "", "partial", "river bridge", ""] + [
        str(span(TEXT, "river bridge").start),
        str(span(TEXT, "river bridge").end),
    ]
    entities = list(csv.reader(io.StringIO(client.get("/api/export/entities.csv").text)))
    assert entities[:2] == [
        ["id", "name", "type", "variants", "roles", "mentions", "articles"],
        ["ana-ruiz", "Ana Ruiz", "PERSON", "Ruiz", "mayor", "2", "1"],
    ]


def test_an_unknown_table_is_a_404_naming_the_tables(client: TestClient) -> None:
    response = client.get("/api/export/claims.parquet")
    assert response.status_code == 404
    assert response.json() == {
        "error": {"status": 404, "message": "no table 'claims'; choose from quotes, entities"}
    }
