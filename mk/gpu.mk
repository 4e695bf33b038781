# GPU serving (docs/gpu.md): the server image and the GPU bench. `make build-repo DEVICE=gpu`
# (Makefile) writes the GPU repository itself.
IMAGE ?= maritime-ner-triton:24.10-gpu
IMAGE_CONTEXT := dist/image
GPU_VENV := .venv-gpu
GPU_STAMP := $(GPU_VENV)/.installed
# The GPU bench's own environment: onnxruntime-gpu cannot share a venv with the CPU onnxruntime,
# and it needs no torch (the main venv exports the models first); faker: the generator's name tables.
GPU_PACKAGES := "numpy<2" tokenizers onnx "onnxruntime-gpu[cuda,cudnn]" "tritonclient[all]==2.51.0" \
	nvidia-pytriton==0.7.0 nvidia-cuda-runtime-cu12 psutil faker==40.63.0
BENCH_GPU_OUT ?= reports/bench-gpu
BENCH_GPU_ARGS ?=

.PHONY: image bench-gpu bench-gpu-smoke

# Docker is checked first, so a host without it learns that before anything is built.
image:
	@command -v docker > /dev/null 2>&1 || { echo "make image: needs Docker, and 'docker' is not on PATH: run it on a host with Docker (docs/gpu.md, 'Server image'); the repository itself builds without it (make build-repo DEVICE=gpu)" >&2; exit 2; }
	$(MAKE) build-repo DEVICE=gpu
	rm -rf $(IMAGE_CONTEXT) && mkdir -p $(IMAGE_CONTEXT)
	cp build/Dockerfile build/entrypoint.sh $(REPO_OUT)/requirements-server.txt $(IMAGE_CONTEXT)/
	cp -r $(REPO_OUT) $(IMAGE_CONTEXT)/model_repository
	docker build -t $(IMAGE) $(IMAGE_CONTEXT)
	@echo "make image: built $(IMAGE); run it as in docs/gpu.md (TRITON_ADMIN_KEY from the environment)"

$(GPU_STAMP):
	test -x $(GPU_VENV)/bin/python || $(PY) -m venv $(GPU_VENV)
	$(GPU_VENV)/bin/python -m pip install -q --upgrade pip
	$(GPU_VENV)/bin/python -m pip install -q $(GPU_PACKAGES)
	touch $@

# On a GPU host: models are exported in the main venv (torch), then measured in $(GPU_VENV).
bench-gpu: $(GPU_STAMP) | $(STAMP)
	$(CLI) bench-gpu --prepare-only --out $(BENCH_GPU_OUT) $(BENCH_GPU_ARGS)
	$(GPU_VENV)/bin/python -m maritime_ner.bench.gpu --out $(BENCH_GPU_OUT) $(BENCH_GPU_ARGS)

# The same script on the CPU with a tiny model: proves it runs before GPU time is spent.
bench-gpu-smoke: | $(STAMP)
	$(CLI) bench-gpu --smoke --out $(BENCH_GPU_OUT)-smoke
