"""The career catalog and matching."""
