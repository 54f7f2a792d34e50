"""Case screens: the list, the case page, and its dialogs."""
