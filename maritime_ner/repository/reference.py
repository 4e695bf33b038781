"""In-process reference pipeline: the same tokenizer, windowing, model and decoder as the server."""

from __future__ import annotations

from pathlib import Path
from typing import Callable, Sequence

import numpy as np

from maritime_ner.core import contract
from maritime_ner.core.decoding import Span, decode_batch
from maritime_ner.core.ls_format import to_results
from maritime_ner.core.tokenization import DocumentEncoder
from maritime_ner.repository.layout import ModelRepository

Forward = Callable[[np.ndarray, np.ndarray], np.ndarray]  # (ids, mask) -> (batch, seq, labels)


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
    def from_repository(cls, repository: Path | ModelRepository, threads: int = 0, forward: Forward | None = None) -> "Pipeline":
        """The reference over a built repository's own files and settings (``forward``: another core)."""
        repo = ModelRepository(repository).require()
        forward = forward or onnx_forward(repo.onnx_path, threads)
        return cls(repo.encoder(), forward, repo.id2label, min_score=repo.min_score)

    def spans(self, texts: Sequence[str]) -> list[list[Span]]:
        """Spans per document, documents grouped into requests the way the client sends them to the ensemble:
        up to ``docs_per_request`` a request, and a refused request's documents one at a time (NerClient.infer)."""
        out: list[list[Span]] = []
        for i in range(0, len(texts), self.docs_per_request):
            chunk = list(texts[i : i + self.docs_per_request])
            try:
                out.extend(self.request(chunk))
            except contract.InvalidRequest:
                if len(chunk) == 1:
                    raise
                for text in chunk:
                    out.extend(self.request([text]))
        return out

    def request(self, texts: list[str]) -> list[list[Span]]:
        """Spans of the documents of one request (raises InvalidRequest where the tokenizer step refuses it)."""
        batch = self.encoder.encode(texts)
        logits = self.forward(batch.input_ids, batch.attention_mask)
        return decode_batch(texts, logits, batch.token_map, batch.window_doc, self.id2label, self.min_score)

    def results(self, texts: Sequence[str]) -> list[list[dict]]:
        """Label Studio results per document, exactly as the served ``SPANS`` output."""
        return [to_results(t, s) for t, s in zip(texts, self.spans(texts))]
