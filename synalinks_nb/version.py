"""The package version, read by hatchling and written into every save file."""

__version__ = "0.1.0"
