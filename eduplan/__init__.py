"""eduplan: turn education bureaus' work plans into tracked, measured work."""

__version__ = "0.1.0"
