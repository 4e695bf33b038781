"""Triton step 1: UTF-8 documents -> overlapping token windows (see maritime_ner.tokenization)."""

import json
import sys
from pathlib import Path

import triton_python_backend_utils as pb_utils

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))  # the build copies the maritime_ner modules next to this file

from maritime_ner import contract  # noqa: E402
from maritime_ner.tokenization import DocumentEncoder  # noqa: E402


def _int_param(params: dict, key: str) -> int:
    """A required integer parameter of config.pbtxt; a bad value fails the model load."""
    try:
        return int(params[key]["string_value"])
    except (KeyError, ValueError):
        raise pb_utils.TritonModelException(f"{contract.TOKENIZER_MODEL}: parameter '{key}' must be an integer") from None


class TritonPythonModel:
    def initialize(self, args):
        config = json.loads(args["model_config"])
        params = config.get("parameters", {})
        buckets = [int(b) for b in params.get("buckets", {}).get("string_value", "").split(",") if b.strip()]
        self.encoder = DocumentEncoder.from_dir(
            HERE,
            window=_int_param(params, "window"),
            stride=_int_param(params, "stride"),
            buckets=buckets,
            max_windows=_int_param(params, "max_windows"),
        )

    def execute(self, requests):
        responses = []
        for request in requests:
            raw = pb_utils.get_input_tensor_by_name(request, contract.TEXT).as_numpy().reshape(-1)
            try:
                texts = contract.decode_texts(raw)
                contract.check_length(texts, self.encoder.max_chars)
                batch = self.encoder.encode(texts)
            except contract.InvalidRequest as err:
                error = pb_utils.TritonError(str(err), pb_utils.TritonError.INVALID_ARG)
                responses.append(pb_utils.InferenceResponse(error=error))
                continue
            responses.append(pb_utils.InferenceResponse([
                pb_utils.Tensor(contract.INPUT_IDS, batch.input_ids),
                pb_utils.Tensor(contract.ATTENTION_MASK, batch.attention_mask),
                pb_utils.Tensor(contract.TOKEN_MAP, batch.token_map),
                pb_utils.Tensor(contract.WINDOW_DOC, batch.window_doc),
            ]))
        return responses
