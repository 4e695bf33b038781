"""Maritime / seafood-trade NER served on NVIDIA Triton (import-free: the build copies it with core/).

Subpackages, one concern each:
  core/         the pure serving core (names, offsets, windows, tokenization, decoding, Label Studio format)
  repository/   a built Triton model repository: build it, read it, run it in process
  client/       calling the served ensemble over gRPC/HTTP
  serving/      running tritonserver locally (serve, demo)
  ops/          verify, deploy, rollback, watchdog
  tuning/       Model Analyzer profiles and the tuned config
  labelstudio/  Label Studio REST API, ML backend, pre-annotation
  bench/        throughput and latency benchmark
"""
