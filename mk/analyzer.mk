# Model Analyzer loop: profile the built repository -> tune -> build-repo applies $(TUNED).
ANALYZER_OUT ?= reports/analyzer
# quick: this CPU machine, within 10 minutes; full: a GPU host (README: "Tuning batching with Model Analyzer").
ANALYZER_SWEEP ?= quick
ANALYZER_ARGS ?=
LIBB64 := .triton/lib/libb64.so.0d

.PHONY: profile profile-configs tune

# perf_analyzer needs libb64.so.0d: `make setup` provides it (no manual step).
setup: $(LIBB64)

$(LIBB64): | $(STAMP)
	$(PYTHON) -m maritime_ner.analyzer libs

profile: $(BUILT) $(LIBB64)
	$(PYTHON) -m maritime_ner.analyzer profile --repository $(REPO_OUT) --out $(ANALYZER_OUT) \
		--sweep $(ANALYZER_SWEEP) $(ANALYZER_ARGS)

# Only write the YAML configs and perf_analyzer input data (to read or run by hand).
profile-configs: $(BUILT) $(LIBB64)
	$(PYTHON) -m maritime_ner.analyzer generate --repository $(REPO_OUT) --out $(ANALYZER_OUT) \
		--sweep $(ANALYZER_SWEEP) $(ANALYZER_ARGS)

tune: | $(STAMP)
	$(PYTHON) -m maritime_ner.tune --results $(ANALYZER_OUT) --out $(TUNED)
