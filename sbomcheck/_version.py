"""The version of sbomcheck: its one home, imported by the package face and by every stage."""

__version__ = "0.1.0"
