"""One source for the names the whole bundle shares: labels, tensors, models, limits."""

from __future__ import annotations

from typing import Sequence

# The fixed label order. Index == logit column of the served ONNX core.
LABELS: tuple[str, ...] = (
    "O", "VESSEL", "HS_CODE", "PORT", "SPECIES", "IMO", "FLAG", "RISK_LEVEL", "DATE",
)
ENTITY_LABELS: tuple[str, ...] = LABELS[1:]
NUM_LABELS = len(LABELS)
ID2LABEL: dict[int, str] = dict(enumerate(LABELS))
LABEL2ID: dict[str, int] = {label: i for i, label in enumerate(LABELS)}

# Triton model names in the built repository.
ENSEMBLE = "ner"
TOKENIZER_MODEL = "ner_tokenizer"
ONNX_MODEL = "ner_model"
DECODER_MODEL = "ner_decoder"
ALL_MODELS: tuple[str, ...] = (ENSEMBLE, TOKENIZER_MODEL, ONNX_MODEL, DECODER_MODEL)

# Tensor names. The ONNX core's contract: input_ids/attention_mask INT64 (batch, seq),
# logits FP32 (batch, seq, NUM_LABELS).
TEXT = "TEXT"
SPANS = "SPANS"
INPUT_IDS = "input_ids"
ATTENTION_MASK = "attention_mask"
LOGITS = "logits"
# (windows, seq, 4) INT64: global token index (-1 for special/pad), word index, start, end
# (code points into the document).
TOKEN_MAP = "token_map"
# (windows,) INT64: which document of the request each window belongs to.
WINDOW_DOC = "window_doc"
TOKEN_MAP_COLUMNS = ("token_index", "word_index", "start", "end")

# Windowing defaults (tokens, special tokens included). The served window is the one the model was
# trained on (TrainConfig.max_length, recorded by the export in decoding.json): a model fine-tuned on
# 128-token windows never learned the positions past them, and serving 256-token windows cost it 1 to
# 2.4 points of entity F1 on every evaluation set (docs/experiments.md).
DEFAULT_WINDOW = 128


def stride_for(window: int) -> int:
    """Tokens shared by consecutive served windows: a quarter of the window."""
    return window // 4


def window_setting(value: object) -> int:
    """A served window read from a file (the export's, the build's): a whole number of at least 8 tokens."""
    if isinstance(value, bool) or not isinstance(value, int) or value < 8:
        raise ValueError(f"a window must be a token count of at least 8, got {value!r}")
    return value


DEFAULT_STRIDE = stride_for(DEFAULT_WINDOW)
DEFAULT_BUCKETS: tuple[int, ...] = (32, 64, 128)
# Most windows one ensemble request may carry; ner_model's max_batch_size must be >= this.
DEFAULT_MAX_WINDOWS = 128

# Label Studio names (from the annotation guide's labeling config).
LS_FROM_NAME = "label"
LS_TO_NAME = "text"
LS_TYPE = "labels"

# ner_model config parameter carrying the served model's version tag (set by the build).
MODEL_VERSION_PARAM = "model_version"
# ner_model config parameter carrying its logit columns' labels, comma-joined (set by the build),
# so `make verify` can check the label map of a live server from outside.
LABELS_PARAM = "labels"

# ner_decoder config parameter: spans whose score (mean probability of their label over their
# tokens) is below it are dropped. The export picks it on the validation set (DECODING_FILE),
# the build writes it; "0" keeps every span.
MIN_SCORE_PARAM = "min_score"

# Least privilege: the model-repository and shared-memory APIs need this header, whose value
# comes from the environment variable ADMIN_KEY_ENV (`make serve`, `make deploy`).
RESTRICTED_APIS = ("model-repository", "shared-memory")
ADMIN_KEY_HEADER = "triton-admin-key"
ADMIN_KEY_ENV = "TRITON_ADMIN_KEY"

# File names inside the built repository.
LABELS_FILE = "labels.json"
TOKENIZER_FILE = "tokenizer.json"
ONNX_FILE = "model.onnx"
DECODING_FILE = "decoding.json"  # next to the exported model: the decoder settings the export chose


# Why a request was refused: the ``reason`` of InvalidRequest and of the refused-requests metric.
REFUSED_INVALID_UTF8 = "invalid_utf8"
REFUSED_TOO_LONG = "too_long"
REFUSED_TOO_MANY_WINDOWS = "too_many_windows"
REFUSED_UNDECODABLE = "undecodable"  # the decoder cannot turn the windows it got into spans
REFUSAL_REASONS: tuple[str, ...] = (REFUSED_INVALID_UTF8, REFUSED_TOO_LONG, REFUSED_TOO_MANY_WINDOWS, REFUSED_UNDECODABLE)


class InvalidRequest(ValueError):
    """A request the server must answer with INVALID_ARG (bad input, not a server bug)."""

    def __init__(self, message: str, reason: str = REFUSED_UNDECODABLE):
        super().__init__(message)
        self.reason = reason  # one of REFUSAL_REASONS


def decode_texts(raw: Sequence[bytes | str]) -> list[str]:
    """UTF-8 bytes from Triton -> str; a non-UTF-8 document is the client's error."""
    texts = []
    for i, item in enumerate(raw):
        if isinstance(item, str):
            texts.append(item)
            continue
        try:
            texts.append(bytes(item).decode("utf-8"))
        except UnicodeDecodeError as err:
            raise InvalidRequest(
                f"document {i} is not valid UTF-8 (byte {err.start}): send TEXT as UTF-8 encoded bytes",
                REFUSED_INVALID_UTF8,
            ) from None
    return texts


def check_length(texts: Sequence[str], max_chars: int) -> None:
    """Refuse a request whose documents together exceed ``max_chars`` characters."""
    total = sum(len(t) for t in texts)
    if total > max_chars:
        raise InvalidRequest(
            f"request carries {total} characters, more than the {max_chars} one request may carry: "
            "split the document into parts and send them as separate requests",
            REFUSED_TOO_LONG,
        )
