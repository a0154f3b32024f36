"""The per-article stages on Ray Data: articles go out as Parquet shards, a pool of actors that each
load spaCy once annotates them with `map_batches`, and annotations stream back to the driver as
`model.to_dict` JSON, which the pipeline stores under the same version key as a local run.
"""

from __future__ import annotations

import json
import logging
import tempfile
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from storyline.errors import EngineError
from storyline.model import Annotation, Article, from_dict, to_dict

if TYPE_CHECKING:
    from pyarrow.fs import FileSystem

    from storyline.settings import Settings

__all__ = ["AnnotateActor", "annotate", "write_shards"]

RAY_PYPI = "storyline[ray]"
SHARD_ROWS = 64  # articles per Parquet file: a file is a read task, so several files keep actors busy


class AnnotateActor:
    """One Ray actor: loads the English pipeline once, then annotates batches of articles.

    It checks its own pipeline version against the driver's, so a cluster node with another
    model or storyline version fails loudly instead of filling the cache with other results.
    """

    def __init__(self, version: str) -> None:
        from storyline import annotate
        from storyline.annotate.nlp import load_spacy

        self.nlp = load_spacy()
        found = annotate.version(self.nlp)
        if found != version:
            raise EngineError(
                f"a Ray worker runs pipeline {found} but the driver {version}; "
                "install the same storyline and model versions on every node"
            )

    def __call__(self, batch: dict[str, Any]) -> dict[str, list[str]]:
        from storyline import annotate

        articles = [from_dict(Article, json.loads(row)) for row in batch["article"]]
        results = annotate.annotate(articles, self.nlp)
        encoded = [json.dumps(to_dict(ann), ensure_ascii=False) for ann in results]
        return {"id": [a.id for a in articles], "annotation": encoded}


def annotate(articles: Sequence[Article], settings: Settings, version: str) -> Iterator[list[Annotation]]:
    """Annotations of `articles` in batches of about `settings.batch_size`, in no fixed order."""
    if not articles:
        return
    ray = _import_ray()
    with _runtime(ray, settings), _shard_folder(settings.ray_shards) as (filesystem, folder):
        if settings.ray_shards is None and sum(1 for node in ray.nodes() if node.get("Alive")) > 1:
            raise EngineError(
                "this Ray cluster has several nodes, so the article shards must be on storage every "
                "node reads: pass --shards with a shared folder or an s3:// / gs:// URI"
            )
        write_shards(articles, filesystem, folder)
        workers = max(1, settings.workers)
        # The folder, not the file list: Ray resolves each listed path in a thread of its own, and
        # those threads race on an optional fsspec import (seen with Ray 2.60 without aiohttp).
        dataset = ray.data.read_parquet(folder, filesystem=filesystem).map_batches(
            AnnotateActor,
            fn_constructor_kwargs={"version": version},
            compute=ray.data.ActorPoolStrategy(size=workers),
            batch_size=settings.batch_size,
            num_cpus=_actor_cpus(ray.cluster_resources().get("CPU", 1.0), workers),
        )
        try:
            for batch in dataset.iter_batches(batch_size=settings.batch_size, batch_format="pyarrow"):
                bodies = batch.column("annotation").to_pylist()
                yield [from_dict(Annotation, json.loads(body)) for body in bodies]
        except ray.exceptions.RayError as exc:
            raise EngineError(f"the Ray run failed: {_last_line(exc)}") from exc


def write_shards(
    articles: Sequence[Article], filesystem: FileSystem, folder: str, rows: int = SHARD_ROWS
) -> list[str]:
    """Write `articles` as Parquet files of `rows` rows each (columns `id` and `article` JSON)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    paths = []
    for n, start in enumerate(range(0, len(articles), rows)):
        chunk = articles[start : start + rows]
        table = pa.table(
            {
                "id": [a.id for a in chunk],
                "article": [json.dumps(to_dict(a), ensure_ascii=False) for a in chunk],
            }
        )
        path = f"{folder}/articles-{n:05d}.parquet"
        pq.write_table(table, path, filesystem=filesystem)
        paths.append(path)
    return paths


@contextmanager
def _shard_folder(base: str | None) -> Iterator[tuple[FileSystem, str]]:
    """A fresh folder for this run's shards (under `base`, a path or URI), removed afterwards."""
    from pyarrow import fs

    if base is None:
        with tempfile.TemporaryDirectory(prefix="storyline-shards-") as folder:
            yield fs.LocalFileSystem(), folder
        return
    filesystem, root = fs.FileSystem.from_uri(base if "://" in base else str(Path(base).resolve()))
    folder = f"{root.rstrip('/')}/storyline-shards-{uuid.uuid4().hex}"
    filesystem.create_dir(folder)
    try:
        yield filesystem, folder
    finally:
        filesystem.delete_dir(folder)


@contextmanager
def _runtime(ray: Any, settings: Settings) -> Iterator[None]:
    """Use the Ray runtime already up in this process, or connect/start one and shut it down after."""
    context = ray.data.DataContext.get_current()
    # The CLI draws its own progress; Ray's bars and plan printouts would interleave with it.
    context.enable_progress_bars = False
    context.print_on_execution_start = False
    if ray.is_initialized():
        yield
        return
    options: dict[str, Any] = {"include_dashboard": False, "logging_level": logging.WARNING}
    if settings.ray_address:
        options["address"] = settings.ray_address
    else:
        # A fresh local runtime: one CPU per actor plus one for the read tasks that feed them.
        options["num_cpus"] = max(1, settings.workers) + 1
    try:
        ray.init(**options)
    except (ConnectionError, RuntimeError, ValueError) as exc:
        where = settings.ray_address or "a new local runtime"
        raise EngineError(f"cannot start Ray at {where}: {exc}; check `ray status` on the cluster") from exc
    try:
        yield
    finally:
        ray.shutdown()


def _actor_cpus(cluster_cpus: float, workers: int) -> float:
    """CPUs to request per actor, leaving one for Ray Data's file listing and read tasks.

    Actors hold their CPUs for the whole run; a pool that takes every CPU starves the tasks that
    read the shards, and the run waits forever (seen with `--workers` equal to the CPU count).
    """
    return min(1.0, max(cluster_cpus - 1.0, 0.0) / workers)


def _last_line(exc: Exception) -> str:
    """The cause of a Ray error: Ray carries a worker's exception as traceback text, ending with it."""
    lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
    return lines[-1] if lines else type(exc).__name__


def _import_ray() -> Any:
    try:
        import ray
        import ray.data
    except ImportError as exc:
        raise EngineError(f"--engine ray needs Ray Data; install it with `pip install '{RAY_PYPI}'`") from exc
    return ray
