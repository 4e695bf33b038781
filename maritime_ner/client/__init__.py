"""Calling the served ensemble over gRPC or HTTP (the `annotate` command)."""
