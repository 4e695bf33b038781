"""Triton step 3: logits of all windows -> Label Studio result JSON per document."""

import json
import sys
from pathlib import Path

import numpy as np
import triton_python_backend_utils as pb_utils

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))  # the build copies the maritime_ner modules next to this file

from maritime_ner.core import contract  # noqa: E402
from maritime_ner.core.decoding import decode_batch, min_score_setting  # noqa: E402
from maritime_ner.core.ls_format import to_results  # noqa: E402
from maritime_ner.core.telemetry import (  # noqa: E402
    DecoderMetrics, flush_seconds_setting, instance_label, model_version_setting, parameter, triton_families,
)


def _input(request, name: str) -> np.ndarray:
    """One input tensor of a request as numpy."""
    return pb_utils.get_input_tensor_by_name(request, name).as_numpy()


class TritonPythonModel:
    def initialize(self, args):
        labels = json.loads((HERE / contract.LABELS_FILE).read_text(encoding="utf-8"))
        if tuple(labels) != contract.LABELS:
            raise pb_utils.TritonModelException(f"{contract.LABELS_FILE} has {labels}, expected {list(contract.LABELS)}")
        self.id2label = dict(enumerate(labels))
        params = json.loads(args["model_config"]).get("parameters", {})
        try:
            self.min_score = min_score_setting(parameter(params, contract.MIN_SCORE_PARAM))
            flush = flush_seconds_setting(params)
        except ValueError as err:
            raise pb_utils.TritonModelException(f"ner_decoder: {err}") from None
        self.metrics = DecoderMetrics(triton_families(pb_utils), model_version_setting(params), instance_label(args), flush)

    def execute(self, requests):
        responses = []
        for request in requests:
            try:
                texts = contract.decode_texts(_input(request, contract.TEXT).reshape(-1))
                spans = decode_batch(
                    texts, _input(request, contract.LOGITS), _input(request, contract.TOKEN_MAP), _input(request, contract.WINDOW_DOC),
                    self.id2label, self.min_score,
                )
            except (contract.InvalidRequest, ValueError) as err:
                self.metrics.refused(err)
                error = pb_utils.TritonError(str(err), pb_utils.TritonError.INVALID_ARG)
                responses.append(pb_utils.InferenceResponse(error=error))
                continue
            self.metrics.decoded(spans)
            out = np.array(
                [[json.dumps(to_results(t, s), ensure_ascii=False).encode("utf-8")] for t, s in zip(texts, spans)],
                dtype=np.object_,
            )
            responses.append(pb_utils.InferenceResponse([pb_utils.Tensor(contract.SPANS, out)]))
        return responses

    def finalize(self):
        self.metrics.close()
