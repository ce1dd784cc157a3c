"""``python -m rashomon``: the same as the ``rashomon`` command."""

from .cli import main

main()
