#!/bin/sh
# Serve /models with the model-repository and shared-memory APIs restricted to callers that send
# the admin key (the same flags as maritime_ner/serving/local_triton.py `restricted_api_args`).
set -eu
if [ -z "${TRITON_ADMIN_KEY:-}" ]; then
    echo "entrypoint: TRITON_ADMIN_KEY is not set: pass -e TRITON_ADMIN_KEY=... (the admin APIs need it)" >&2
    exit 2
fi
APIS="model-repository,shared-memory"
exec tritonserver --model-repository=/models \
    "--http-restricted-api=${APIS}:triton-admin-key=${TRITON_ADMIN_KEY}" \
    "--grpc-restricted-protocol=${APIS}:triton-admin-key=${TRITON_ADMIN_KEY}" \
    "$@"
