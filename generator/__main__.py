"""`python -m generator` behaves exactly like the `archive` command."""

from .cli import entry

entry()
