"""A built Triton model repository: the build, its layout and configs, and the in-process reference pipeline."""
