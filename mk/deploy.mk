# Safe deployment (docs/deployment.md): verify a live server, install a release, roll back.
# TRITON_URL may name several replicas (comma-separated) that read the same TARGET (docs/scale-out.md);
# an s3:// TARGET takes its credentials from AWS_* in the environment.
TRITON_URL ?= localhost:$(GRPC_PORT)
TARGET ?=
SMOKE ?= data/verify/smoke.json
DEPLOY_ARGS ?=

.PHONY: verify deploy rollback watchdog

verify: | $(STAMP)
	$(CLI) verify --url $(TRITON_URL) --smoke $(SMOKE)

deploy: $(BUILT)
	@test -n "$(TARGET)" || { echo "deploy: set TARGET=folder, TARGET=host:folder or TARGET=s3://[host:port/]bucket/prefix" >&2; exit 2; }
	$(CLI) deploy --repository $(REPO_OUT) --target $(TARGET) \
		--url $(TRITON_URL) --smoke $(SMOKE) $(DEPLOY_ARGS)

rollback: | $(STAMP)
	@test -n "$(TARGET)" || { echo "rollback: set TARGET=folder, TARGET=host:folder or TARGET=s3://[host:port/]bucket/prefix" >&2; exit 2; }
	$(CLI) rollback --target $(TARGET) --url $(TRITON_URL) --smoke $(SMOKE) $(DEPLOY_ARGS)

# Reload Python steps whose stub died (needs explicit model control and $$TRITON_ADMIN_KEY).
watchdog: | $(STAMP)
	$(CLI) watchdog --url $(TRITON_URL)
