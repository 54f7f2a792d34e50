"""Deadline screens: the case page's 期限 tab, its dialogs, and the board."""
