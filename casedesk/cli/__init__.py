"""The ``casedesk`` command: the desktop app without arguments, tools as sub-commands."""
