"""The pure serving core: no Triton, torch or network import; the build copies this folder whole next to each model.py."""
