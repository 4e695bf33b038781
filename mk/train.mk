# make train NPROC=2: one training process per device (or CPU share) under torchrun; gloo on CPUs,
# NCCL on GPUs. Several nodes: the same NPROC on each, with TORCHRUN_ARGS naming the rendezvous, e.g.
#   make train NPROC=8 TORCHRUN_ARGS="--nnodes=2 --node-rank=0 --rdzv-backend=c10d --rdzv-endpoint=host0:29500"
# A killed run continues from artifacts/checkpoint/state/ when started again (docs/training.md).
NPROC ?= 1
TORCHRUN_ARGS ?= --standalone
ifeq ($(NPROC),1)
TRAIN_CMD = $(CLI) train
else
TRAIN_CMD = $(PYTHON) -m torch.distributed.run $(TORCHRUN_ARGS) --nproc_per_node=$(NPROC) -m training.train
endif

# make bench-train: training throughput of the default model, variants compared in one run
# (reports/bench-train/bench_train.{json,md}); BENCH_TRAIN_STEPS timed steps per variant.
BENCH_TRAIN_OUT ?= reports/bench-train
BENCH_TRAIN_STEPS ?= 30
BENCH_TRAIN_VARIANTS ?= all
BENCH_TRAIN_ARGS ?=

.PHONY: bench-train

bench-train: $(TRAIN_DATA) $(VAL_DATA)
	$(PYTHON) -m training.bench_train --base-model "$(BASE_MODEL)" --train-file $(TRAIN_DATA) --dev-file $(VAL_DATA) \
		--steps $(BENCH_TRAIN_STEPS) --variants $(BENCH_TRAIN_VARIANTS) --out $(BENCH_TRAIN_OUT) $(BENCH_TRAIN_ARGS)
