"""Person screens: the person form and its edit dialog."""
