"""`make bench`: Hugging Face pipeline vs in-process reference vs the Triton ensemble, one run."""
