"""Case marks on the model side: shifted ids -> (ids, token type ids), for BERT-style encoders.

The tokenizer step shifts the id of every token that starts with an upper-case letter by the
vocabulary size (``maritime_ner.core.tokenization.mark_case``; the shift is recorded in
``tokenizer_config.json``). The model takes the shift back off and feeds the mark as the token's
type, so one learned vector (BERT's second token-type embedding) says "capitalised" for every
token; the served core keeps its contract (``input_ids``, ``attention_mask`` -> ``logits``).
"""

from __future__ import annotations

import json
from pathlib import Path

from maritime_ner.core.tokenization import CASE_MARKS_KEY, case_marks


def supports_case_marks(model) -> bool:
    """True for encoders with at least two token types (BERT, MiniLM; not DistilBERT)."""
    return getattr(model.config, "type_vocab_size", 0) >= 2 and token_type_table(model) is not None


def token_type_table(model):
    """The token-type embedding of a BERT-style model, or None."""
    base = getattr(model, getattr(model, "base_model_prefix", ""), None)
    embeddings = getattr(base, "embeddings", None)
    return getattr(embeddings, "token_type_embeddings", None)


def start_case_marks(model, base: str | Path) -> None:
    """Make a fresh base model read case marks: the "capitalised" type starts equal to the plain one,
    so the model begins exactly as the case-blind encoder and learns what capitals mean. A base that
    is already one of our case-marked checkpoints keeps what it learned."""
    import torch

    if Path(base).is_dir() and case_marks(base):
        return
    table = token_type_table(model)
    with torch.no_grad():
        table.weight[1].copy_(table.weight[0])


def model_inputs(input_ids, shift: int) -> dict:
    """Keyword arguments for the model from (possibly shifted) torch ids: the ids without the shift and
    the token types (1 where the id was shifted); ``shift`` 0: ids as they are."""
    if not shift:
        return {"input_ids": input_ids}
    marked = (input_ids >= shift).long()
    return {"input_ids": input_ids - marked * shift, "token_type_ids": marked}


def write_case_marks(tokenizer_dir: str | Path, shift: int) -> None:
    """Record the shift in ``tokenizer_dir/tokenizer_config.json`` (0 removes it)."""
    path = Path(tokenizer_dir) / "tokenizer_config.json"
    config = json.loads(path.read_text(encoding="utf-8"))
    config.pop(CASE_MARKS_KEY, None)
    if shift:
        config[CASE_MARKS_KEY] = int(shift)
    path.write_text(json.dumps(config, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def logits_module(model, shift: int):
    """``(input_ids, attention_mask) -> logits`` as a torch module (what the ONNX export traces)."""
    import torch

    class Logits(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.model = model

        def forward(self, input_ids, attention_mask):
            return self.model(**model_inputs(input_ids, shift), attention_mask=attention_mask).logits

    return Logits().eval()
