"""What the bench runs, as typed records: the variants of each arm and the spec a child process gets."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import ClassVar, Literal, Sequence, Union

from maritime_ner.core import contract

ArmKind = Literal["hf", "reference", "triton"]
Precision = Literal["fp32", "int8"]
# The graph a reference variant runs: the repository's own, the fp32 export, the served graph
# quantised here, or the fp32 graph rewritten by the offline BERT optimizer.
Graph = Literal["served", "fp32", "int8", "fused"]


@dataclass(frozen=True)
class ReferenceVariant:
    """An in-process (b) arm: the reference pipeline with another grouping, graph or session option."""

    name: str
    description: str
    docs_per_call: int | None = None  # None: the ensemble's documents per request
    graph: Graph = "served"
    graph_optimization: str | None = None  # an ort.GraphOptimizationLevel name; None: ORT_ENABLE_ALL
    only_when_served: Precision | None = None  # runs only when the repository serves this precision
    kind: ClassVar[ArmKind] = "reference"

    @property
    def needs_fp32_graph(self) -> bool:
        return self.graph in ("fp32", "fused")

    @property
    def needs_checkpoint(self) -> bool:
        """The offline optimizer reads heads and hidden size from the checkpoint's config.json."""
        return self.graph == "fused"

    @property
    def is_ceiling(self) -> bool:
        """Same graph and session as the served core, only the grouping differs: a candidate for the ceiling."""
        return self.graph == "served" and self.graph_optimization is None

    def applicable(self, served: Precision, fp32_graph_available: bool) -> bool:
        """Whether this variant makes sense for the served graph (and its fp32 source is at hand)."""
        if self.only_when_served is not None and served != self.only_when_served:
            return False
        return fp32_graph_available or not self.needs_fp32_graph


@dataclass(frozen=True)
class TritonVariant:
    """A (c) arm: the ensemble on a server of its own, with one setting changed from the built repository."""

    name: str
    description: str
    python_instances: int | None = None  # instances of each Python step
    buckets: str | None = None  # the tokenizer's sequence-length buckets ("" for none)
    intra_op: int | None = None  # ner_model's intra_op_thread_count; None: as built; 0 (here or built): the thread budget
    model_instances: int | None = None  # ner_model's instance count; None: the built repository's
    kind: ClassVar[ArmKind] = "triton"
    needs_checkpoint: ClassVar[bool] = False

    @property
    def is_default(self) -> bool:
        """The built repository as it is (only the thread budget set)."""
        return all(v is None for v in (self.python_instances, self.buckets, self.intra_op, self.model_instances))


Variant = Union[ReferenceVariant, TritonVariant]

# The base arms: (b), the ceiling as the ensemble takes documents (8 per request), and (c).
REFERENCE = ReferenceVariant("reference", "in-process reference, the served graph, documents grouped as the ensemble takes them")
TRITON = TritonVariant("triton", "the built repository on tritonserver, every protocol and concurrency")

REFERENCE_1DOC = ReferenceVariant("reference_1doc", "one document per call", docs_per_call=1)
NO_FUSIONS = ReferenceVariant("reference_no_fusions", "ONNX Runtime graph optimisations off", graph_optimization="ORT_DISABLE_ALL")
REFERENCE_INT8 = ReferenceVariant("reference_int8", "the served fp32 graph quantised to dynamic INT8", graph="int8",
                                  only_when_served="fp32")
REFERENCE_FP32 = ReferenceVariant("reference_fp32", "the fp32 export the served INT8 graph came from", graph="fp32",
                                  only_when_served="int8")
OFFLINE_FUSIONS = ReferenceVariant("reference_offline_fusions", "the fp32 graph with offline BERT fusions", graph="fused")
REFERENCE_VARIANTS: tuple[ReferenceVariant, ...] = (REFERENCE_1DOC, NO_FUSIONS, REFERENCE_INT8, REFERENCE_FP32, OFFLINE_FUSIONS)

# Each a server of its own, measured over gRPC at the highest concurrency.
TRITON_VARIANTS: tuple[TritonVariant, ...] = (
    TritonVariant("triton_buckets", f"Sequence-length buckets {'/'.join(map(str, contract.DEFAULT_BUCKETS))} "
                  "(like the GPU setting; default none)", buckets=",".join(map(str, contract.DEFAULT_BUCKETS))),
    TritonVariant("triton_python_x1", "1 instance per Python step", python_instances=1),
    TritonVariant("triton_one_session", "1 ner_model instance with intra_op_thread_count = the budget (the CPU default "
                  "before 2026-12-02; default: 2 single-threaded instances)", model_instances=1, intra_op=0),
)
VARIANTS: tuple[Variant, ...] = (*REFERENCE_VARIANTS, *TRITON_VARIANTS)


def variant(name: str) -> Variant | None:
    """The base arm or variant called ``name`` (None for the HF arm)."""
    return next((v for v in (REFERENCE, TRITON, *VARIANTS) if v.name == name), None)


def select(names: str, known: Sequence[Variant] = VARIANTS) -> list[Variant]:
    """Variants from --variants (all, none, or a comma list), in the order given."""
    if names == "all":
        return list(known)
    if names == "none":
        return []
    by_name = {v.name: v for v in known}
    chosen = [n.strip() for n in names.split(",") if n.strip()]
    unknown = sorted(set(chosen) - set(by_name))
    if unknown:
        raise ValueError(f"unknown variants {unknown}; choose from {', '.join(by_name)}")
    return [by_name[n] for n in chosen]


@dataclass(frozen=True)
class ArmSpec:
    """What one arm's child process runs; crosses the process boundary as JSON."""

    arm: ArmKind
    name: str
    docs_path: Path
    threads: int
    repository: Path | None = None  # reference and triton
    checkpoint: Path | None = None  # hf
    window: int | None = None  # hf: the served tokenizer's window and stride
    stride: int | None = None
    groups: list[list[int]] = field(default_factory=list)  # reference: document indices per call
    model_path: Path | None = None  # reference: a graph other than the repository's
    graph_optimization: str | None = None  # reference: an ort.GraphOptimizationLevel name
    protocols: list[str] = field(default_factory=list)  # triton
    concurrency: list[int] = field(default_factory=list)
    log_path: Path | None = None

    PATHS: ClassVar[tuple[str, ...]] = ("docs_path", "repository", "checkpoint", "model_path", "log_path")

    def to_json(self) -> str:
        return json.dumps({k: str(v) if isinstance(v, Path) else v for k, v in asdict(self).items()})

    @classmethod
    def from_json(cls, text: str) -> "ArmSpec":
        raw = json.loads(text)
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(raw) - known)
        if unknown:
            raise ValueError(f"arm spec has unknown fields {unknown}")
        return cls(**{k: Path(v) if k in cls.PATHS and v is not None else v for k, v in raw.items()})
