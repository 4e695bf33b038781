# Label Studio loop: pre-annotate a project from Triton, serve an ML backend, export -> train, retrain.
# The Label Studio server lives in its own venv (.venv-ls); the bundle talks to it over REST.
# The API key comes from the environment only: export LABEL_STUDIO_API_KEY=... (a Personal Access
# Token or a legacy token). Make never puts it on a command line, so it never shows in `ps` or in
# make's echo of a recipe; LS_URL becomes $LABEL_STUDIO_URL for the commands.
LS_VENV := .venv-ls
LS_STAMP := $(LS_VENV)/.installed
LS_URL ?= $(or $(LABEL_STUDIO_URL),http://localhost:8080)
export LABEL_STUDIO_URL := $(LS_URL)
LS_PORT ?= 8080
LS_DATA_DIR ?= .labelstudio
PROJECT ?=
TRITON_URL ?= localhost:$(GRPC_PORT)
# The ML backend's address: `make ls-backend HOST=0.0.0.0 PORT=9090` (only values given on the
# make command line count: a HOST or PORT in the environment is something else's).
BACKEND_HOST := $(if $(filter command line,$(origin HOST)),$(HOST),127.0.0.1)
BACKEND_PORT := $(if $(filter command line,$(origin PORT)),$(PORT),9090)
# Words for `maritime-ner retrain` when the backend's Start Training fires (empty: retraining off).
RETRAIN_ARGS ?=
RETRAIN_AFTER ?= 0
PREANNOTATE_ARGS ?=
LS_EXPORT ?=
VAL_FRACTION ?= 0.1

ifdef LS_API_KEY
$(error LS_API_KEY is no longer read: export LABEL_STUDIO_API_KEY in the environment instead (make would show a key given on its command line to every user of the machine))
endif

.PHONY: ls-setup ls-start preannotate ls-backend data-ls retrain ls-need-key

ls-setup: $(LS_STAMP)

$(LS_STAMP): requirements-ls.txt
	test -x $(LS_VENV)/bin/python || $(PY) -m venv $(LS_VENV)
	$(LS_VENV)/bin/python -m pip install -q -r requirements-ls.txt
	# Migrate an empty database once; tests copy it instead of migrating at every start.
	rm -rf $(LS_VENV)/template
	LABEL_STUDIO_LATEST_VERSION_CHECK=false LABEL_STUDIO_COLLECT_ANALYTICS=false LABEL_STUDIO_BASE_DATA_DIR=$(LS_VENV)/template \
		$(LS_VENV)/bin/label-studio version --data-dir $(LS_VENV)/template > /dev/null
	touch $@

# A local Label Studio for the loop (legacy API tokens on too, so either kind of key works).
ls-start: $(LS_STAMP)
	LABEL_STUDIO_LATEST_VERSION_CHECK=false LABEL_STUDIO_BASE_DATA_DIR=$(LS_DATA_DIR) $(LS_VENV)/bin/label-studio start --no-browser \
		--internal-host 127.0.0.1 --port $(LS_PORT) --data-dir $(LS_DATA_DIR) --enable-legacy-api-token

# Fails early, without showing the key, when it is not in the environment.
ls-need-key:
	@test -n "$$LABEL_STUDIO_API_KEY" || { echo "set LABEL_STUDIO_API_KEY in the environment (export LABEL_STUDIO_API_KEY=...; a Personal Access Token or a legacy token)" >&2; exit 2; }

preannotate: ls-need-key | $(STAMP)
	@test -n "$(PROJECT)" || { echo "usage: make preannotate PROJECT=id [LS_URL=...] [TRITON_URL=host:grpc_port] (key in \$$LABEL_STUDIO_API_KEY)" >&2; exit 2; }
	$(CLI) preannotate --project $(PROJECT) --triton-url $(TRITON_URL) $(PREANNOTATE_ARGS)

# BASIC_AUTH_USER / BASIC_AUTH_PASS in the environment turn on HTTP basic auth.
ls-backend: | $(STAMP)
	$(CLI) ls-backend --triton-url $(TRITON_URL) --host $(BACKEND_HOST) --port $(BACKEND_PORT) \
		$(if $(RETRAIN_ARGS),--retrain-args '$(RETRAIN_ARGS)' --retrain-after $(RETRAIN_AFTER))

# Retrain from the project's annotations; deploy to TARGET only if the challenger holds up (docs/labelstudio.md).
retrain: ls-need-key | $(STAMP)
	@test -n "$(PROJECT)" -a -n "$(TARGET)" || { echo "usage: make retrain PROJECT=id TARGET=model-repository-folder [TRITON_URL=host:grpc_port] [TRAIN_ARGS=...]" >&2; exit 2; }
	$(CLI) retrain --project $(PROJECT) --target $(TARGET) --url $(TRITON_URL) --smoke $(SMOKE) \
		--quantize $(or $(QUANTIZE),none) $(DEPLOY_ARGS) -- --base-model "$(BASE_MODEL)" $(TRAIN_ARGS)

# Training data from Label Studio: LS_EXPORT=export.json, or PROJECT=id (key in $LABEL_STUDIO_API_KEY) to fetch it.
data-ls: | $(STAMP)
ifneq ($(LS_EXPORT),)
	$(CLI) ls-export --export $(LS_EXPORT) --train-out $(TRAIN_DATA) --val-out $(VAL_DATA) --val-fraction $(VAL_FRACTION)
else
	@test -n "$$LABEL_STUDIO_API_KEY" -a -n "$(PROJECT)" || { echo "usage: make data LS_EXPORT=export.json, or PROJECT=id with LABEL_STUDIO_API_KEY in the environment" >&2; exit 2; }
	$(CLI) ls-export --project $(PROJECT) \
		--save-export data/ls_export.json --train-out $(TRAIN_DATA) --val-out $(VAL_DATA) --val-fraction $(VAL_FRACTION)
endif
