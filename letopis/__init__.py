"""letopis: raw news in, a queryable chronicle out."""

__version__ = "0.1.0"
