"""The parts of benchmarks/api.py that decide what is requested: routes, filled paths, percentiles."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType, SimpleNamespace

import pytest

FOLDER = Path(__file__).resolve().parents[2] / "benchmarks"


def _script() -> ModuleType:
    # Loaded under its own name, with the benchmarks folder on the path only while it imports.
    sys.path.insert(0, str(FOLDER))
    try:
        spec = importlib.util.spec_from_file_location("storyline_bench_api", FOLDER / "api.py")
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        return module
    finally:
        sys.path.remove(str(FOLDER))


api = _script()


def test_routes_are_the_get_reads_of_the_app(tmp_path: Path) -> None:
    from storyline.web.app import create_app

    found = api.routes(create_app(tmp_path / "store.db"))
    assert {"/", "/api/stories", "/api/stories/{story_id}", "/api/export/briefing.{fmt}"} <= set(found)
    assert not [path for path in found if path.startswith(("/static", "/login", "/logout", "/add"))]
    assert len(found) == len(set(found))


def test_paths_are_filled_with_the_first_ids_and_questions_with_a_title() -> None:
    briefing = SimpleNamespace(
        stories=[SimpleNamespace(id="s-1", title="Harbour fees rise")],
        articles=[SimpleNamespace(id="a-1")],
        entities=[],
        claims=[],
    )
    assert api.fill("/api/stories/{story_id}", briefing) == "/api/stories/s-1"
    assert api.fill("/articles/{article_id}", briefing) == "/articles/a-1"
    assert api.fill("/api/export/briefing.{fmt}", briefing) == "/api/export/briefing.json"
    assert api.fill("/api/ask", briefing) == "/api/ask?q=Harbour+fees+rise"
    assert api.fill("/entities/{entity_id}", briefing) is None


def test_percentiles_interpolate_between_order_statistics() -> None:
    assert api.percentile([4.0, 1.0, 3.0, 2.0], 50) == pytest.approx(2.5)
    assert api.percentile([float(i) for i in range(1, 21)], 95) == pytest.approx(19.05)


class _Client:
    """Answers every GET with an empty 200 and counts the calls."""

    def __init__(self) -> None:
        self.calls = 0

    def get(self, url: str) -> object:
        self.calls += 1
        return type("Response", (), {"status_code": 200, "content": b"{}"})()


def test_a_route_budget_stops_timing_after_three_requests() -> None:
    client = _Client()
    row = api._timed_route(client, "/api/stories", requests=30, budget_s=0.0)
    assert row["requests"] == 3 and client.calls == 4  # one untimed, then three timed
    assert row["status"] == [200] and row["bytes"] == 2


def test_without_a_budget_every_request_is_timed() -> None:
    client = _Client()
    assert api._timed_route(client, "/api/stories", requests=7)["requests"] == 7
