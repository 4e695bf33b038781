"""Maritime / seafood-trade NER served on NVIDIA Triton.

The modules listed in ``SERVING_MODULES`` are pure (numpy + tokenizers only) and are
copied next to the Triton ``model.py`` files by the build; keep this file import-free.
"""

SERVING_MODULES = (
    "__init__.py", "contract.py", "offsets.py", "windowing.py", "decoding.py", "labelstudio.py", "tokenization.py",
)
