"""Running tritonserver on this machine: backends, server processes, `serve` and `demo`."""
