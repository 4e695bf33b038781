"""`python -m maritime_ner COMMAND`: the same as the `maritime-ner` command."""

import sys

from maritime_ner.cli import main

sys.exit(main())
