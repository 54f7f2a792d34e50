"""Accounts in the UI: the sign-in dialogs, the idle lock and user management."""
