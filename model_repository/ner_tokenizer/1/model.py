"""Triton step 1: UTF-8 documents -> overlapping token windows (see maritime_ner.core.tokenization)."""

import json
import sys
from pathlib import Path

import triton_python_backend_utils as pb_utils

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))  # the build copies the maritime_ner modules next to this file

from maritime_ner.core import contract  # noqa: E402
from maritime_ner.core.telemetry import (  # noqa: E402
    TokenizerMetrics, flush_seconds_setting, instance_label, model_version_setting, triton_families,
)
from maritime_ner.core.tokenization import DocumentEncoder, window_settings  # noqa: E402


class TritonPythonModel:
    def initialize(self, args):
        config = json.loads(args["model_config"])
        params = {k: v["string_value"] for k, v in config.get("parameters", {}).items()}
        try:
            self.encoder = DocumentEncoder.from_dir(HERE, **window_settings(params))
            flush = flush_seconds_setting(params)
        except ValueError as err:  # a bad value fails the model load with a clear message
            raise pb_utils.TritonModelException(f"{contract.TOKENIZER_MODEL}: {err}") from None
        self.metrics = TokenizerMetrics(triton_families(pb_utils), model_version_setting(params), instance_label(args), flush)

    def execute(self, requests):
        responses = []
        for request in requests:
            raw = pb_utils.get_input_tensor_by_name(request, contract.TEXT).as_numpy().reshape(-1)
            try:
                texts = contract.decode_texts(raw)
                contract.check_length(texts, self.encoder.max_chars)
                batch = self.encoder.encode(texts)
            except contract.InvalidRequest as err:
                self.metrics.refused(err)
                error = pb_utils.TritonError(str(err), pb_utils.TritonError.INVALID_ARG)
                responses.append(pb_utils.InferenceResponse(error=error))
                continue
            self.metrics.encoded(batch.token_map, batch.window_doc, len(texts))
            responses.append(pb_utils.InferenceResponse([
                pb_utils.Tensor(contract.INPUT_IDS, batch.input_ids),
                pb_utils.Tensor(contract.ATTENTION_MASK, batch.attention_mask),
                pb_utils.Tensor(contract.TOKEN_MAP, batch.token_map),
                pb_utils.Tensor(contract.WINDOW_DOC, batch.window_doc),
            ]))
        return responses

    def finalize(self):
        self.metrics.close()
