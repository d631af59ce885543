"""The clean stage: zones (title, lead, byline, credits, body, related, boilerplate)
and the outlet named in the text. See zones.py."""

from .lexicon import LexiconError, read_lexicon
from .zones import VERSION, zone_article, zone_lines

__all__ = ["VERSION", "LexiconError", "read_lexicon", "zone_article", "zone_lines"]
