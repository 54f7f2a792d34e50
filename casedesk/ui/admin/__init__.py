"""Administrator screens: code tables."""
