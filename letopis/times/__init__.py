"""The time stage: temporal expressions with ISO-TimeML-style values.

``extract_times(article)`` runs after the NLP stage (it reads ``article.sentences``:
tokens, morphology, syntax) and sets ``article.times``; when the article has no
publication date it first looks for one in the text (``published.infer_published``).

Values (``TimeExpr.value``):
- dates ``2021-12-21`` (with a time: ``2022-03-12T15:00``), months ``2022-01``, years
  ``2022``, seasons ``2021-SU`` (SP, SU, FA, WI; winter Y runs from December Y-1),
  quarters ``2022-Q1``, ISO weeks ``2021-W51``, weekends ``2022-W09-WE``, parts of day
  ``2021-12-21TEV`` (MO, AF, EV, NI); weekdays resolve to a date;
- ranges "с 10 по 12 января": an ISO 8601 interval ``2022-01-10/2022-01-12``;
- durations ``P2W``, ``PT1.5H``, ``P3DE``, ``PXD`` ("несколько дней");
- vague references ``PAST_REF``, ``PRESENT_REF``, ``FUTURE_REF``;
- unknown year: ``XXXX-12-21``, ``XXXX-01``, ``XXXX-SU``; unresolved weekday ``XXXX-WXX-3``;
  a relative expression with no anchor keeps only its direction (``PAST_REF`` for
  "вчера" in an undated article).
``mod``: START, END, MID ("в начале", "в конце", "в середине", first/second half),
APPROX, MORE_THAN, LESS_THAN ("около", "более", "менее"). ``anchor``: ``published``,
``text``, ``none`` or null (no anchor needed). ``rule``: the rule that fired.

``load()`` reads the lexicons and the Ukrainian dictionary (~0.1 s): call it when the
stage is built, so that no article pays for it. ``explain_times(article)`` gives one
line per expression with the rule that fired (for ``--explain``).

Modules: ``lexicon`` (the data files in ``letopis/data/times/``), ``terms`` and
``grammar`` (token patterns), ``rules`` (the ordered rule list) and ``builders``,
``candidates``, ``tense``, ``anchor``, ``normalize``, ``published``, ``extract``.
"""

from .extract import VERSION, explain_times, extract_times, load
from .published import infer_published

__all__ = ["VERSION", "explain_times", "extract_times", "infer_published", "load"]
