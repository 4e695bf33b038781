# Model Analyzer loop: profile the built repository -> tune -> build-repo applies $(TUNED).
ANALYZER_OUT ?= reports/analyzer
# quick: this CPU machine, within 10 minutes; full: a GPU host (docs/tuning.md).
ANALYZER_SWEEP ?= quick
ANALYZER_ARGS ?=
LIBB64 := .triton/lib/libb64.so.0d
# Besides the shipped dev set, the profile sends validation-style generated documents and long dossiers.
PROFILE_DOCS := data/profile/generated.jsonl data/profile/long.jsonl
PROFILE_DOC_ARGS := $(foreach f,$(PROFILE_DOCS),--documents $(f))

.PHONY: profile profile-configs tune

# perf_analyzer needs libb64.so.0d: `make setup` provides it (no manual step).
setup: $(LIBB64)

$(LIBB64): | $(STAMP)
	$(PYTHON) -m maritime_ner.tuning.analyzer libs

profile: $(BUILT) $(LIBB64) $(PROFILE_DOCS)
	$(CLI) profile --repository $(REPO_OUT) --out $(ANALYZER_OUT) \
		--sweep $(ANALYZER_SWEEP) $(PROFILE_DOC_ARGS) $(ANALYZER_ARGS)

# Only write the YAML configs and perf_analyzer input data (to read or run by hand).
profile-configs: $(BUILT) $(LIBB64) $(PROFILE_DOCS)
	$(CLI) profile-configs --repository $(REPO_OUT) --out $(ANALYZER_OUT) \
		--sweep $(ANALYZER_SWEEP) $(PROFILE_DOC_ARGS) $(ANALYZER_ARGS)

tune: | $(STAMP)
	$(CLI) tune --results $(ANALYZER_OUT) --repository $(REPO_OUT) --out $(TUNED)

data/profile/generated.jsonl: | $(STAMP)
	$(CLI) data --n 120 --seed 1000 --out $@

data/profile/long.jsonl: | $(STAMP)
	$(CLI) data --n 6 --seed 1001 --genres long_dossier --out $@
