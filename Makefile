# Small composable targets; each one runs what it depends on when that is missing.
SHELL := /bin/bash
PY ?= python3
VENV := .venv
PYTHON := $(VENV)/bin/python
# Every job goes through the same command a pip-installed user runs (`maritime-ner COMMAND`).
CLI := $(PYTHON) -m maritime_ner
export PYTHONPATH := $(CURDIR)

BASE_MODEL ?=
REPO_OUT ?= dist/model_repository
HTTP_PORT ?= 8000
GRPC_PORT ?= 8001
METRICS_PORT ?= 8002
MODEL_CONTROL ?= none
TRAIN_DOCS ?= 550
VAL_DOCS ?= 200
SEED ?= 0
# Whole genres kept out of training and validation, to measure generalisation (make eval).
HOLDOUT_GENRES ?= news_report,bill_of_lading
HOLDOUT_DOCS ?= 150
# Hand-annotated documents mixed into the generated training data (Label Studio exports or our JSONL),
# each REAL_REPEAT times: the writers' documents (data/annotated/README.md) and the outside set's dev
# half. `make eval` marks sets the model was trained on as training-set scores, and a sealed set is
# refused. REAL_DATA= trains on generated documents alone (docs/experiments.md).
REAL_DATA ?= $(sort $(wildcard data/annotated/*.json)) data/eval/outside_dev.json
REAL_REPEAT ?= 1
TUNED ?= analyzer_configs/tuned.json
# DEVICE=gpu: ner_model on KIND_GPU from the fp32 graph, with GPU_ACCELERATOR=tensorrt (FP16) or cuda
# (docs/gpu.md); cpu (the default) builds exactly what it always did.
DEVICE ?= cpu
GPU_ACCELERATOR ?= tensorrt
TRAIN_ARGS ?=
# QUANTIZE=int8 (the CPU default): serve a dynamic INT8 ONNX core if it loses at most 0.01 entity
# F1 against fp32 on the validation set (artifacts/model/quantization.json); QUANTIZE=none: fp32.
QUANTIZE ?= int8
PYTEST_ARGS ?=

STAMP := $(VENV)/.installed
TRAIN_DATA := data/train.jsonl
VAL_DATA := data/val.jsonl
HOLDOUT_DATA := data/holdout.jsonl
CHECKPOINT := artifacts/checkpoint/config.json
ONNX := artifacts/model/model.onnx
# An object-store REPO_OUT (s3://, gs://, as://) is served as it is: tritonserver reads it itself.
# Only `make serve` takes one; targets that need a built folder stop with a hint instead.
REMOTE_REPO := $(filter s3://% gs://% as://%,$(REPO_OUT))
BUILT := $(if $(REMOTE_REPO),remote-repository,$(REPO_OUT)/ner/config.pbtxt)

.PHONY: setup data train export build-repo serve demo eval test clean

# Feature targets (profile, bench, verify/deploy, Label Studio) live in mk/*.mk.
include $(wildcard mk/*.mk)

setup: $(STAMP)

$(STAMP): requirements.txt pyproject.toml
	test -x $(PYTHON) || $(PY) -m venv $(VENV)
	$(PYTHON) -m pip install -q --upgrade pip
	$(PYTHON) -m pip install -q -r requirements.txt
	$(CLI) prepare
	touch $@

# With LS_EXPORT=export.json (or PROJECT=id, key in $LABEL_STUDIO_API_KEY) the training data comes from
# Label Studio (mk/labelstudio.mk); otherwise from the synthetic generator.
ifneq ($(LS_EXPORT),)
data: data-ls $(HOLDOUT_DATA)
else ifneq ($(and $(LABEL_STUDIO_API_KEY),$(PROJECT)),)
data: data-ls $(HOLDOUT_DATA)
else
data: $(TRAIN_DATA) $(VAL_DATA) $(HOLDOUT_DATA)
endif

$(TRAIN_DATA): | $(STAMP)
	$(CLI) data --n $(TRAIN_DOCS) --seed $(SEED) --exclude-genres $(HOLDOUT_GENRES) \
		$(foreach f,$(REAL_DATA),--real $(f)) --real-repeat $(REAL_REPEAT) --out $@

$(VAL_DATA): | $(STAMP)
	$(CLI) data --n $(VAL_DOCS) --seed $$(( $(SEED) + 1000 )) --exclude-genres $(HOLDOUT_GENRES) --out $@

$(HOLDOUT_DATA): | $(STAMP)
	$(CLI) data --n $(HOLDOUT_DOCS) --seed $$(( $(SEED) + 2000 )) --genres $(HOLDOUT_GENRES) --out $@

# Step targets always run their step; files they need are made only when missing.
# train: NPROC=N trains with N processes under torchrun (mk/train.mk, docs/training.md).
train: $(TRAIN_DATA) $(VAL_DATA)
	$(TRAIN_CMD) --base-model "$(BASE_MODEL)" --train-file $(TRAIN_DATA) --dev-file $(VAL_DATA) $(TRAIN_ARGS)

$(CHECKPOINT):
	$(MAKE) train

export: $(CHECKPOINT) $(VAL_DATA)
	$(CLI) export --checkpoint artifacts/checkpoint --out artifacts/model --quantize $(or $(QUANTIZE),none) --val-file $(VAL_DATA)

$(ONNX):
	$(MAKE) export

build-repo: $(ONNX)
	$(CLI) build-repo --model-dir artifacts/model --out $(REPO_OUT) $(if $(TUNED),--tuned $(TUNED)) \
		--device $(DEVICE) --accelerator $(GPU_ACCELERATOR)

ifeq ($(REMOTE_REPO),)
$(BUILT):
	$(MAKE) build-repo
else
.PHONY: remote-repository
remote-repository:
	@echo "REPO_OUT=$(REPO_OUT) is an object store: only 'make serve' reads it. Build into a folder, then 'make deploy TARGET=$(REPO_OUT)'" >&2; exit 2
endif

serve: $(if $(REMOTE_REPO),| $(STAMP),$(BUILT))
	$(CLI) serve --repository $(REPO_OUT) \
		--http-port $(HTTP_PORT) --grpc-port $(GRPC_PORT) --metrics-port $(METRICS_PORT) \
		--model-control-mode $(MODEL_CONTROL)

demo: build-repo
	$(CLI) demo --repository $(REPO_OUT) \
		--http-port $(HTTP_PORT) --grpc-port $(GRPC_PORT) --metrics-port $(METRICS_PORT)

eval: $(BUILT) $(HOLDOUT_DATA)
	$(CLI) eval --repository $(REPO_OUT)

test: $(STAMP) $(LS_STAMP)
	$(PYTHON) -m pytest $(PYTEST_ARGS)

clean:
	rm -rf dist artifacts reports .triton $(TRAIN_DATA) $(VAL_DATA) $(HOLDOUT_DATA) $(PROFILE_DOCS)
	# A tuned config left behind would be applied silently by the next build.
	rm -f analyzer_configs/tuned.json
