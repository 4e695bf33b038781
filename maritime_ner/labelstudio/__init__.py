"""Label Studio: its REST API, the ML backend it calls, and bulk pre-annotation of a project."""
