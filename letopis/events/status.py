"""Status: occurred, ongoing, planned, possible, not_planned, denied, demanded, conditional.

The cues are read on the trigger's *chain*: the trigger and the words it depends on up to
the head of its clause ("встреча" <- "планируется"; "переговоры" <- "провести" <- "могут";
"отведение" <- "деэскалацию" <- "увидеть" <- "хотим"), with their negations, auxiliaries,
conditions and modifiers; then, across the clause boundary, the verbs that report it
("опроверг информацию о том, что ...", "выразила надежду, что ..."). Cue words are data
(letopis/data/events/status_cues.tsv). The status rules are tried in order; the first
that applies names the status and the rule.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .doc import Sent
from .lexicon import cue_kinds
from .triggers import Match

BOUNDARIES = ("ccomp", "advcl", "parataxis", "acl:relcl", "csubj", "root")
CUE_CHILDREN = ("advmod", "aux", "mark", "det", "cop", "obl", "amod", "nmod", "advcl", "nsubj", "xcomp")
EXCLUDE = ("исключать", "исключить", "исключаться", "виключати", "виключа")
CONDITION_AFTER = 6  # words after a trigger a bare "в случае" may stand at
CONDITION_BEFORE = 8
CONDITION_OPENS = 16  # words from "если" to a trigger in the clause the condition opens
ATTRIBUTE_ONLY = ("открытый", "відкритий")  # a cue as a predicate only ("открыта для диалога")
REPORTING_DEPTH = 3  # words above the clause searched for "опроверг", "надежда", "не исключил"


@dataclass
class Cues:
    kinds: set[str] = field(default_factory=set)
    negated: bool = False
    condition_above: bool = False  # the trigger itself is the condition ("в случае эскалации")
    reported: set[str] = field(default_factory=set)  # kinds across the clause boundary
    tense: str | None = None  # past, present, future
    governors: list[int] = field(default_factory=list)  # the chain, trigger first
    completed: bool = False  # "по итогам переговоров", "после встречи": the event is over


def chain(sent: Sent, match: Match) -> list[int]:
    """The trigger's head and the words above it up to its clause head."""
    nodes, k = [match.head], match.head
    while sent.heads[k] >= 0 and not is_boundary(sent, k) and sent.heads[k] not in nodes:
        k = sent.heads[k]
        nodes.append(k)
    return nodes


def is_boundary(sent: Sent, k: int) -> bool:
    rel = sent.rel(k)
    if rel.startswith(BOUNDARIES):
        return True
    if rel.startswith("acl") and any(sent.lemma(c) in ("что", "що") for c in sent.children(k, "mark")):
        return True  # "недовольства тем, что разговор идет": a clause of its own
    return rel == "conj" and sent.tokens[k].pos in ("VERB", "AUX")


SETTING = ("в ходе", "во время", "по итогам", "после", "перед", "на полях", "під час", "за підсумками")
SETTING_NOUNS = ("итог", "ход", "время", "рамка", "поле", "результат", "підсумок")
OCCURRENCE_VERBS = ("пройти", "проходить", "состояться", "начаться", "начинаться", "продолжаться",
                    "продолжиться", "продлиться", "длиться", "завершиться", "закончиться", "идти",
                    "открыться", "планироваться", "быть", "стать", "відбутися", "відбуватися", "тривати")


def is_setting(sent: Sent, k: int) -> bool:
    """"в телефонных разговорах", "на заседании", "по итогам встречи": the event is where
    or when its governor happened; the governor's modality and negation are not its own."""
    if not sent.rel(k).startswith(("obl", "nmod")):
        return False
    if sent.lemma(k) in SETTING_NOUNS and sent.preposition(k):
        return True
    prep = sent.preposition(k)
    return prep in SETTING or (prep in ("в", "во", "на", "у") and sent.tokens[k].feats.get("Case") == "Loc")


RESULT_NOUNS = ("итог", "результат", "підсумок", "завершение", "завершення")


def is_completed(sent: Sent, head: int) -> bool:
    """"по итогам переговоров", "после встречи", "за підсумками зустрічі": the event is over."""
    if sent.preposition(head) in ("после", "після"):
        return True
    governor = sent.heads[head]
    return governor >= 0 and sent.rel(head).startswith("nmod") and sent.lemma(governor) in RESULT_NOUNS \
        and sent.preposition(governor) is not None


def read_cues(sent: Sent, match: Match) -> Cues:
    cues = Cues(governors=chain(sent, match), completed=is_completed(sent, match.head))
    inside = set(match.tokens)
    for position, node in enumerate(cues.governors):
        if position and is_setting(sent, cues.governors[position - 1]):
            cues.governors = cues.governors[:position + 1]  # the governor gives the tense only
            cues.tense = tense_of(sent, cues.governors)
            read_condition(sent, match, cues)
            return cues
        if node not in inside:
            read_node(sent, node, cues, position)
        for child in sent.kids[node]:
            if child in inside or child in cues.governors or not sent.rel(child).startswith(CUE_CHILDREN):
                continue
            read_child(sent, node, child, cues)
    cues.tense = tense_of(sent, cues.governors)
    if cues.tense == "future" and not occurrence_predicate(sent, match, cues):
        cues.tense = None  # "сегодняшняя встреча придаст новый импульс": not when it happens
    read_reporting(sent, cues)
    read_condition(sent, match, cues)
    if sent.lang == "uk":
        read_ukrainian_segment(sent, match, cues)
    read_relative(sent, match, cues)
    return cues


RELATIVE = ("который", "которые", "которая", "которое", "який", "які", "яка", "яке")
RELATIVE_AFTER = 6  # words from the trigger to the comma of its relative clause


def read_relative(sent: Sent, match: Match, cues: Cues) -> None:
    """"переговоры США и России, которые пройдут в Женеве", "консультацій, які заплановано на
    10 січня": a relative clause that says when the event happens gives its tense and cues,
    over those of the verb the trigger depends on (that verb's event is another)."""
    tokens = sent.tokens
    comma = next((k for k in range(match.last + 1, min(len(tokens), match.last + 1 + RELATIVE_AFTER))
                  if tokens[k].text in (",", ".", ";", ":", "—", "–")), None)
    if comma is None or tokens[comma].text != "," or comma + 1 >= len(tokens) \
            or tokens[comma + 1].text.lower() not in RELATIVE:
        return
    for k in range(comma + 2, min(len(tokens), comma + 5)):
        kinds = cue_kinds(tokens[k]) & {"planned", "possible", "not_planned", "plan_word"}
        occurs = sent.lemma(k) in OCCURRENCE_VERBS or tokens[k].text.lower().startswith(("відбу", "пройд", "прохо"))
        tense = ukrainian_tense(sent, k) if sent.lang == "uk" else tense_of(sent, [k])
        if kinds or (occurs and tense):
            cues.kinds |= kinds
            cues.tense = tense or cues.tense
            return


UK_STOPS = (",", ".", ":", ";", "—", "–", "«", "»", "„", "“", "\"", "(", ")", "?", "!")
UK_SEGMENT_KINDS = {"planned", "possible", "not_planned", "plan_word", "denial", "demanded"}


PARENTHETICAL = ("як", "за словами", "зокрема", "мовляв")


def segment(sent: Sent, match: Match) -> list[int]:
    """The words around the trigger up to punctuation on either side, past a parenthetical
    ("Зустріч Зеленського та Путіна, як зазначив Подоляк, можлива": "можлива" is in it,
    "зазначив" is not)."""
    tokens = sent.tokens
    low, high = match.first, match.last
    while low > 0 and tokens[low - 1].text not in UK_STOPS:
        low -= 1
    words = []
    while True:
        while high + 1 < len(tokens) and tokens[high + 1].text not in UK_STOPS:
            high += 1
        words += range(low, high + 1)
        close = parenthetical_end(sent, high + 1)
        if close is None:
            return words
        low = high = close + 1
        if high >= len(tokens) or tokens[high].text in UK_STOPS:
            return words


def parenthetical_end(sent: Sent, comma: int) -> int | None:
    """The comma that closes a parenthetical opened by the comma at ``comma``, or None."""
    tokens = sent.tokens
    if comma + 1 >= len(tokens) or tokens[comma].text != ",":
        return None
    words = " ".join(t.text.lower() for t in tokens[comma + 1:comma + 3])
    if not any(words == p or words.startswith(p + " ") for p in PARENTHETICAL):
        return None
    return next((k for k in range(comma + 2, min(len(tokens), comma + 8)) if tokens[k].text == ","), None)


def read_ukrainian_segment(sent: Sent, match: Match, cues: Cues) -> None:
    """Ukrainian, parsed by the Russian models: the chain misses most cues, so the words of
    the trigger's segment (between punctuation) are read as well: cue words ("наразі не
    планується", "може відбутися", "сподівається на"), a "не" right before a verb or the
    trigger, and, where the chain gave no tense, the tense of the nearest verb
    ("зустріч ... відбудеться": planned)."""
    words = [k for k in segment(sent, match) if k not in match.tokens]
    if sent.tokens[match.head].pos not in ("NOUN", "PROPN") and ukrainian_tense(sent, match.head):
        words = [k for k in words if k < match.first]  # "обговорили можливі дати": the object's word
    for k in words:
        kinds = cue_kinds(sent.tokens[k])
        if "negation" in kinds and k + 1 < len(sent.tokens) and (k + 1 == match.first or ukrainian_tense(sent, k + 1)):
            cues.negated = True
        cues.kinds |= kinds & UK_SEGMENT_KINDS
    if cues.tense is None:
        verbs = sorted((abs(k - match.head), k) for k in words if ukrainian_tense(sent, k))
        cues.tense = ukrainian_tense(sent, verbs[0][1]) if verbs else None


def occurrence_predicate(sent: Sent, match: Match, cues: Cues) -> bool:
    """Whether the verb a noun trigger is the subject of says that it happens."""
    head = match.head
    if sent.tokens[head].pos not in ("NOUN", "PROPN") or not sent.rel(head).startswith("nsubj") or len(cues.governors) < 2:
        return True
    return sent.lemma(cues.governors[1]) in OCCURRENCE_VERBS or bool(cue_kinds(sent.tokens[cues.governors[1]]))

def condition_markers(sent: Sent) -> list[int]:
    """"если", "в случае", "при условии" (and Ukrainian "якщо", "у разі")."""
    if "conditions" in sent.memo:
        return sent.memo["conditions"]
    found = sent.memo["conditions"] = []
    for k, token in enumerate(sent.tokens):
        word, before = token.text.lower(), sent.tokens[k - 1].text.lower() if k else ""
        if word in ("если", "якщо") or (word in ("случае", "разі") and before in ("в", "у")) \
                or (word == "условии" and before == "при"):
            found.append(k)
    return found


def read_condition(sent: Sent, match: Match, cues: Cues) -> None:
    """The trigger is the condition ("в случае эскалации", "если Россия ... агрессии"), or a
    condition sits right beside it ("санкции в случае эскалации", "в случае эскалации ...
    ответят жесткими мерами") where the parse does not attach it."""
    top = cues.governors[-1]
    if any("conditional" in cue_kinds(sent.tokens[m]) for m in sent.children(top, "mark")):
        cues.condition_above = True
    for node in cues.governors:
        if any(sent.lemma(m) in ("чтобы", "щоб") for m in sent.children(node, "mark")):
            head = sent.heads[node]  # "мы за то, чтобы переговоры продолжались"; else a purpose
            wanted = head >= 0 and sent.lemma(head) in ("то", "тот") and sent.preposition(head) == "за"
            cues.kinds.add("demanded" if wanted else "planned")
            break
    if cues.condition_above:
        return
    for marker in condition_markers(sent):
        after = 0 < marker - match.last <= CONDITION_AFTER
        before = 0 < match.first - marker <= CONDITION_BEFORE and sent.clause_head(marker) == sent.clause_head(match.head)
        if after or before or opens_main_clause(sent, marker, match):
            cues.kinds.add("conditional")


def opens_main_clause(sent: Sent, marker: int, match: Match) -> bool:
    """"если X не будет готов, России придется принимать меры": the condition clause ends at
    the one comma between the marker and the trigger, and the trigger's clause follows."""
    if not 0 < match.first - marker <= CONDITION_OPENS:
        return False
    between = [sent.tokens[k].text.lower() for k in range(marker + 1, match.first)]
    return between.count(",") == 1 and not set(between) & {"что", "чтобы", "но", "а", ";", ":", "—", "–"}


def read_node(sent: Sent, node: int, cues: Cues, position: int) -> None:
    kinds = cue_kinds(sent.tokens[node])
    if sent.lemma(node) in EXCLUDE or sent.tokens[node].text.lower().startswith(EXCLUDE):
        negated = any("negation" in cue_kinds(sent.tokens[c]) for c in sent.kids[node])
        kinds = {"possible"} if negated else {"not_planned"}
    if "conditional" in kinds and position > 0:
        cues.condition_above = True
    if "negation" in kinds:
        cues.negated = True
    cues.kinds |= kinds - {"negation"}


def read_child(sent: Sent, node: int, child: int, cues: Cues) -> None:
    kinds = cue_kinds(sent.tokens[child])
    rel = sent.rel(child)
    if rel.startswith("advcl"):
        marks = [m for m in sent.kids[child] if sent.rel(m) == "mark"]
        kinds = set().union(*(cue_kinds(sent.tokens[m]) for m in marks)) & {"conditional", "demanded"}
    elif rel.startswith(("obl", "nmod")):
        kinds &= {"conditional"}
        if kinds and sent.preposition(child) not in ("в", "при", "у"):
            kinds = set()
    elif rel.startswith(("nsubj", "xcomp", "amod")):
        kinds &= {"planned", "not_planned", "possible"} if rel.startswith("amod") else {"plan_word", "not_planned"}
        if rel.startswith("amod") and sent.lemma(child) in ATTRIBUTE_ONLY:
            kinds = set()  # "открытое заседание": an open session, not a possible one
    if "negation" in kinds:
        if sent.lemma(node) in EXCLUDE or next_word(sent, child) == "только":
            kinds = set()
        else:
            cues.negated = True
    cues.kinds |= kinds - {"negation"}


def next_word(sent: Sent, i: int) -> str:
    return sent.tokens[i + 1].text.lower() if i + 1 < len(sent.tokens) else ""


def read_reporting(sent: Sent, cues: Cues) -> None:
    """Cues above the clause: "опроверг информацию о том, что", "выразила надежду, что"."""
    top = cues.governors[-1]
    if not sent.rel(top).startswith(("ccomp", "acl", "csubj")):
        return
    k = top
    for _ in range(REPORTING_DEPTH):
        if sent.heads[k] < 0:
            return
        k = sent.heads[k]
        kinds = cue_kinds(sent.tokens[k])
        if sent.lemma(k) in EXCLUDE:
            negated = any("negation" in cue_kinds(sent.tokens[c]) for c in sent.kids[k])
            kinds = {"possible"} if negated else set()
        cues.reported |= kinds & {"denial", "planned", "possible", "demanded", "not_planned"}
        for child in sent.children(k, "advmod"):
            cues.reported |= cue_kinds(sent.tokens[child]) & {"denial"}
        if sent.tokens[k].pos in ("VERB", "AUX"):
            return


FUTURE_FORMS = ("будет", "будут", "буду", "будем", "будете", "будешь", "буде", "будуть", "будемо")


def is_future_auxiliary(token) -> bool:
    return token.text.lower() in FUTURE_FORMS or token.feats.get("Tense") == "Fut" and token.pos == "AUX"


def future_auxiliary_before(sent: Sent, node: int) -> bool:
    return any(is_future_auxiliary(sent.tokens[k]) for k in range(max(0, node - 4), node))


UK_TENSES = {"past": "past", "pres": "present", "futr": "future"}


def ukrainian_tense(sent: Sent, node: int) -> str | None:
    """The tense of a Ukrainian verb by Ukrainian morphology (the Russian tagger guesses):
    "обговорили" past, "координують" present, "проведуть" future; "заплановано" past."""
    from ..times.tense import ukrainian_parse

    parsed = ukrainian_parse(sent.tokens[node].text.lower())
    if parsed is None or parsed.tag.POS != "VERB" or "infn" in parsed.tag or parsed.normal_form == "бути":
        return None
    return "past" if "Impe" in parsed.tag else UK_TENSES.get(parsed.tag.tense)


def tense_of(sent: Sent, nodes: list[int]) -> str | None:
    for node in nodes:
        token = sent.tokens[node]
        if sent.lang == "uk" and any(is_future_auxiliary(sent.tokens[c]) for c in sent.kids[node]):
            return "future"
        if sent.lang == "uk" and ukrainian_tense(sent, node):
            return ukrainian_tense(sent, node)
        auxiliaries = [sent.tokens[c] for c in sent.kids[node] if sent.rel(c).startswith("aux")]
        if any(is_future_auxiliary(a) for a in auxiliaries):
            return "future"
        if token.feats.get("VerbForm") == "Inf" and future_auxiliary_before(sent, node):
            return "future"  # "будет в дальнейшем поддерживать" with "будет" parsed elsewhere
        if token.pos not in ("VERB", "AUX") or token.feats.get("VerbForm") == "Inf":
            continue
        if sent.lemma(node) == "быть" and token.feats.get("Tense") == "Pres":
            continue  # "есть требование": existence, no tense
        tense = token.feats.get("Tense")
        if tense == "Fut" or (tense == "Pres" and token.feats.get("Aspect") == "Perf"):
            return "future"
        if tense == "Past":
            return "past"
        if tense == "Pres":
            return "present"
    return None


# --- the rules: (name, test, status) -----------------------------------------------------


def status_of(sent: Sent, match: Match, cues: Cues) -> tuple[str, str]:
    """(status, rule name)."""
    if "negated_act" in match.pattern.flags and cues.negated:  # "не можем согласиться": the rejection
        cues.negated = False
    for name, test, status in RULES:
        if test(match, cues):
            return (status(match, cues) if callable(status) else status), name
    return "occurred", "default"


def planning(cues: Cues) -> bool:
    return bool(cues.kinds & {"plan_word", "planned", "possible", "not_planned"}) or cues.tense == "future"


RULES = (
    ("demanded", lambda m, c: "demanded" in c.kinds and not c.negated, "demanded"),
    ("conditional", lambda m, c: "conditional" in c.kinds and not c.condition_above, "conditional"),
    ("negated_plan", lambda m, c: c.negated and planning(c), "not_planned"),
    ("negated", lambda m, c: c.negated, "denied"),
    ("reported_denial", lambda m, c: "denial" in c.kinds | c.reported,
     lambda m, c: "not_planned" if c.kinds & {"plan_word", "planned"} else "denied"),
    ("not_planned", lambda m, c: "not_planned" in c.kinds | c.reported, "not_planned"),
    ("speech_act", lambda m, c: m.pattern.frame == "speaker", "occurred"),
    ("possible", lambda m, c: "possible" in c.kinds | c.reported, "possible"),
    ("planned", lambda m, c: "planned" in c.kinds | c.reported, "planned"),
    ("reported_demand", lambda m, c: "demanded" in c.reported, "demanded"),
    ("future", lambda m, c: c.tense == "future", "planned"),
    ("made", lambda m, c: c.tense == "present" and "made" in m.pattern.flags, "occurred"),
    ("completed", lambda m, c: c.completed and c.tense != "future", "occurred"),
    ("present", lambda m, c: c.tense == "present", "ongoing"),
    ("past", lambda m, c: c.tense == "past", "occurred"),
)
