"""The package version, kept in one place without importing package metadata at import time."""

__version__ = "0.1.0"
