"""Samverka: municipal collaboration around children and youth at risk."""

__version__ = "0.1.0"
