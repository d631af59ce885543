"""Evaluation against annotated data: ``letopis eval ner`` (docs/eval.md).

- ``datasets``: readers turning factRuEval-2016, SlavicNER and NEREL into ``GoldDoc``s.
- ``score``: precision, recall and F1 over spans (exact and overlap); no models.
- ``ner``: runs letopis and the slovnet-alone baseline over the documents.
- ``cli``: the ``letopis eval`` command and its sub-commands.
"""

from .datasets import GoldDoc, read_dataset
from .score import Counts

__all__ = ["Counts", "GoldDoc", "read_dataset"]
