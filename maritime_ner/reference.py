"""In-process reference pipeline: the same tokenizer, windowing, model and decoder as the server."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Callable, Sequence

import numpy as np

from . import contract
from .decoding import Span, decode_batch, min_score_setting
from .labelstudio import to_results
from .tokenization import DocumentEncoder, window_settings

Forward = Callable[[np.ndarray, np.ndarray], np.ndarray]  # (ids, mask) -> (batch, seq, labels)


def tokenizer_settings(config_path: Path) -> dict[str, object]:
    """Window settings of the ``ner_tokenizer`` config.pbtxt."""
    from .model_config import parse_config

    config = parse_config(config_path)
    return window_settings({k: v.string_value for k, v in config.parameters.items()})


def decoder_min_score(config_path: Path) -> float:
    """The ``min_score`` of the ``ner_decoder`` config.pbtxt (0 when absent)."""
    from .model_config import parse_config

    params = parse_config(config_path).parameters
    return min_score_setting(params[contract.MIN_SCORE_PARAM].string_value if contract.MIN_SCORE_PARAM in params else "")


def onnx_forward(path: Path, threads: int = 0) -> Forward:
    """An ONNX Runtime session as a forward function."""
    import onnxruntime as ort

    options = ort.SessionOptions()
    options.intra_op_num_threads = threads
    session = ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])

    def forward(ids: np.ndarray, mask: np.ndarray) -> np.ndarray:
        return session.run([contract.LOGITS], {contract.INPUT_IDS: ids, contract.ATTENTION_MASK: mask})[0]

    return forward


class Pipeline:
    """Documents -> spans, with any forward function (ONNX Runtime here, PyTorch in training)."""

    def __init__(self, encoder: DocumentEncoder, forward: Forward, id2label: dict[int, str], docs_per_request: int = 8,
                 min_score: float = 0.0):
        self.encoder, self.forward, self.id2label = encoder, forward, id2label
        self.docs_per_request, self.min_score = docs_per_request, min_score

    @classmethod
    def from_repository(cls, repository: Path, threads: int = 0, forward: Forward | None = None) -> "Pipeline":
        """The reference over a built repository's own files and settings (``forward``: another core)."""
        repository = Path(repository)
        tok_dir = repository / contract.TOKENIZER_MODEL / "1"
        settings = tokenizer_settings(repository / contract.TOKENIZER_MODEL / "config.pbtxt")
        labels = json.loads((repository / contract.DECODER_MODEL / "1" / contract.LABELS_FILE).read_text(encoding="utf-8"))
        forward = forward or onnx_forward(repository / contract.ONNX_MODEL / "1" / contract.ONNX_FILE, threads)
        min_score = decoder_min_score(repository / contract.DECODER_MODEL / "config.pbtxt")
        return cls(DocumentEncoder.from_dir(tok_dir, **settings), forward, dict(enumerate(labels)), min_score=min_score)

    def spans(self, texts: Sequence[str]) -> list[list[Span]]:
        """Spans per document, documents grouped into requests the way the ensemble takes them."""
        out: list[list[Span]] = []
        for i in range(0, len(texts), self.docs_per_request):
            chunk = list(texts[i : i + self.docs_per_request])
            batch = self.encoder.encode(chunk)
            logits = self.forward(batch.input_ids, batch.attention_mask)
            out.extend(decode_batch(chunk, logits, batch.token_map, batch.window_doc, self.id2label, self.min_score))
        return out

    def results(self, texts: Sequence[str]) -> list[list[dict]]:
        """Label Studio results per document, exactly as the served ``SPANS`` output."""
        return [to_results(t, s) for t, s in zip(texts, self.spans(texts))]
