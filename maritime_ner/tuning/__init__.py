"""Model Analyzer: profile configs for the built repository and the tuned config they lead to."""
