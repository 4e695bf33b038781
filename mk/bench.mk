# make bench: HF pipeline (PyTorch) vs in-process reference vs the Triton ensemble, one run,
# same documents, same thread budget; writes reports/bench/bench.{json,md,png}.
BENCH_OUT ?= reports/bench
BENCH_THREADS ?= 2
BENCH_VAL_DOCS ?= 200
BENCH_LONG_DOCS ?= 5
BENCH_CONCURRENCY ?= 1,4,16
BENCH_VARIANTS ?= all
BENCH_ARGS ?=

.PHONY: bench bench-quick

bench: $(BUILT) | $(STAMP)
	$(CLI) bench --repository $(REPO_OUT) --checkpoint artifacts/checkpoint --out $(BENCH_OUT) \
		--threads $(BENCH_THREADS) --val-docs $(BENCH_VAL_DOCS) --long-docs $(BENCH_LONG_DOCS) \
		--concurrency $(BENCH_CONCURRENCY) --variants $(BENCH_VARIANTS) $(BENCH_ARGS)

# A few minutes instead of the full run (fewer documents, same arms).
bench-quick:
	$(MAKE) bench BENCH_VAL_DOCS=40 BENCH_LONG_DOCS=2 BENCH_OUT=$(BENCH_OUT)-quick
