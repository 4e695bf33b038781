"""`python -m training.generate`: the generator's command line."""

from .cli import main

main()
