"""Enterprise screens: the list, the enterprise page, the enterprise form."""
