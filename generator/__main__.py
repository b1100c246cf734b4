"""`python -m generator` behaves exactly like the `archive` command."""

from generator.cli import entry

entry()
