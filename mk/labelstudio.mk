# Label Studio loop: pre-annotate a project from Triton, serve an ML backend, export -> train.
# The Label Studio server lives in its own venv (.venv-ls); the bundle talks to it over REST.
LS_VENV := .venv-ls
LS_STAMP := $(LS_VENV)/.installed
LS_URL ?= http://localhost:8080
LS_API_KEY ?=
LS_PORT ?= 8080
LS_DATA_DIR ?= .labelstudio
PROJECT ?=
TRITON_URL ?= localhost:$(GRPC_PORT)
BACKEND_PORT ?= 9090
LS_EXPORT ?=
VAL_FRACTION ?= 0.1

.PHONY: ls-setup ls-start preannotate ls-backend data-ls

ls-setup: $(LS_STAMP)

$(LS_STAMP): requirements-ls.txt
	test -x $(LS_VENV)/bin/python || $(PY) -m venv $(LS_VENV)
	$(LS_VENV)/bin/python -m pip install -q -r requirements-ls.txt
	# Migrate an empty database once; tests copy it instead of migrating at every start.
	rm -rf $(LS_VENV)/template
	LABEL_STUDIO_LATEST_VERSION_CHECK=false LABEL_STUDIO_COLLECT_ANALYTICS=false LABEL_STUDIO_BASE_DATA_DIR=$(LS_VENV)/template \
		$(LS_VENV)/bin/label-studio version --data-dir $(LS_VENV)/template > /dev/null
	touch $@

# A local Label Studio for the loop (legacy API tokens on, so LS_API_KEY works as `Token <key>`).
ls-start: $(LS_STAMP)
	LABEL_STUDIO_LATEST_VERSION_CHECK=false LABEL_STUDIO_BASE_DATA_DIR=$(LS_DATA_DIR) $(LS_VENV)/bin/label-studio start --no-browser \
		--internal-host 127.0.0.1 --port $(LS_PORT) --data-dir $(LS_DATA_DIR) --enable-legacy-api-token

preannotate: | $(STAMP)
	@test -n "$(LS_API_KEY)" -a -n "$(PROJECT)" || { echo "usage: make preannotate LS_URL=... LS_API_KEY=... PROJECT=... TRITON_URL=host:grpc_port"; exit 2; }
	$(CLI) preannotate --ls-url $(LS_URL) --ls-api-key $(LS_API_KEY) --project $(PROJECT) --triton-url $(TRITON_URL)

ls-backend: | $(STAMP)
	$(CLI) ls-backend --triton-url $(TRITON_URL) --host 127.0.0.1 --port $(BACKEND_PORT)

# Training data from Label Studio: LS_EXPORT=export.json, or LS_URL/LS_API_KEY/PROJECT to fetch it.
data-ls: | $(STAMP)
ifneq ($(LS_EXPORT),)
	$(CLI) ls-export --export $(LS_EXPORT) --train-out $(TRAIN_DATA) --val-out $(VAL_DATA) --val-fraction $(VAL_FRACTION)
else
	@test -n "$(LS_API_KEY)" -a -n "$(PROJECT)" || { echo "usage: make data LS_EXPORT=export.json, or LS_URL=... LS_API_KEY=... PROJECT=..."; exit 2; }
	$(CLI) ls-export --url $(LS_URL) --api-key $(LS_API_KEY) --project $(PROJECT) \
		--save-export data/ls_export.json --train-out $(TRAIN_DATA) --val-out $(VAL_DATA) --val-fraction $(VAL_FRACTION)
endif
