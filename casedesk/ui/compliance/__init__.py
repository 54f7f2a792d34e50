"""合规考察 (compliance reform) on the case page and its list."""
