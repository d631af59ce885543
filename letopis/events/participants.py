"""Who takes part: the arguments of a trigger from the dependency parse.

Argument rules, in order, each adding actors to a role:
- ``agent``: the subject ("Лавров и Блинкен провели переговоры"), the subject of the verb
  the trigger depends on ("США и Россия готовы к диалогу", "договорились встретиться"),
  the genitive of a noun ("встреча Байдена", "переговоры России"), a country adjective
  ("российско-американские консультации"), "со стороны X", the possessor ("у него были
  две встречи", "у России нет права вето");
- ``partner``: the comitative ("с Путиным", "с Вашингтоном и Брюсселем") and "между X и Y";
- ``patient``: the object ("призвал Москву"), "против X", "в отношении X";
- ``for_whom``: "для X" ("для Вашингтона неприемлема");
- Ukrainian, where the Russian tree is too rough: the words around the trigger
  (``uk_surface.ukrainian_surface``).

The frame of the trigger's pattern then fills the event: ``joint`` (everybody is a
participant), ``directed`` (agent -> source, patient -> target), ``speaker`` (the quote's
speaker -> source, the rest -> target).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .actors import actors
from .doc import Doc, Sent
from .lexicon import is_light_verb
from .triggers import Match
from .uk_surface import UK_STOPS, ukrainian_surface

OBJECT_CONTROL = {"предложить", "призвать", "пригласить", "попросить", "призывать", "предлагать"}
COMITATIVE = ("с", "со", "з", "із", "зі")
BETWEEN = ("между", "між")
AGAINST = ("против", "в отношении", "проти", "щодо")
ADDRESSED = ("DEMAND", "REQUEST")  # a demand or request "к X" is made of X
SITUATION = ("в ходе", "во время", "на", "по итогам", "после", "під час", "в", "у", "на полях", "для")
SUBJECTS = ("nsubj", "obl:agent")
ANAPHORIC_SUBJECTS = ("сторона", "лидер", "президент", "министр", "участник", "делегация", "партнер", "глава",
                      "дипломат", "мы", "они")
GROUP_NOUNS = ("советник", "эксперт", "представитель", "депутат", "специалист", "чиновник", "радник", "експерт",
               "представник")  # "встреча советников": a group the article does not name (no anaphoric "стороны")
UK_ANAPHORIC = ("сторони", "сторона", "лідери", "партнери", "учасники", "делегації", "міністри", "ми", "вони")
CONSULT_VERBS = ("обсуждать", "обсудить", "встретиться", "встречаться", "говорить", "обговорювати")


@dataclass
class Args:
    agent: list[str] = field(default_factory=list)
    partner: list[str] = field(default_factory=list)
    patient: list[str] = field(default_factory=list)
    for_whom: list[str] = field(default_factory=list)
    rules: list[str] = field(default_factory=list)
    unresolved_subject: bool = False  # a subject that names nobody the article knows ("советники")

    def add(self, role: str, found: list[str], rule: str) -> None:
        new = [f for f in found if f not in getattr(self, role)]
        if new:
            getattr(self, role).extend(new)
            self.rules.append(rule)

    @property
    def empty(self) -> bool:
        return not (self.agent or self.partner or self.patient)


def is_noun(sent: Sent, i: int) -> bool:
    return sent.tokens[i].pos in ("NOUN", "PROPN")


def arguments_of(doc: Doc, sent: Sent, i: int, match: Match) -> list[int]:
    return [k for k in sent.kids[i] if k not in match.tokens]


# --- the rules ------------------------------------------------------------------------


def own_subject(doc: Doc, match: Match, args: Args) -> None:
    sent, h = match.sent, match.head
    if not is_noun(sent, h):
        args.add("agent", subjects_of(doc, sent, h), "subject")
        note_unresolved(doc, sent, h, args)


def controller(doc: Doc, match: Match, args: Args) -> None:
    """The subject of the verb the trigger depends on: "договорились встретиться",
    "могут провести переговоры", "провели переговоры и договорились", "прибывший в Киев"."""
    if args.agent:
        return
    sent, k = match.sent, match.head
    if is_noun(sent, k):
        if not governed_by_light_verb(sent, k):
            return
        k = sent.heads[k]
        found = subjects_of(doc, sent, k)
        if found:
            args.add("agent", found, "light_verb_subject")
            return
    for _ in range(4):
        head, rel = sent.heads[k], sent.rel(k)
        if head < 0:
            return
        if rel.startswith("acl") and not rel.startswith("acl:relcl"):
            args.add("agent", actors(doc, sent, head), "participle_head")
            return
        if rel == "xcomp" and sent.lemma(head) in OBJECT_CONTROL:
            for o in [c for c in sent.kids[head] if sent.rel(c) in ("obj", "iobj")]:
                args.add("agent", actors(doc, sent, o), "object_control")
            if not args.agent:  # "в телефонных разговорах с Путиным и Зеленским предлагал провести встречу"
                for setting in sent.children(head, "obl") + sent.children(k, "obl"):
                    if setting == match.head:
                        continue
                    for c in sent.children(setting, "nmod"):
                        if sent.preposition(c) in COMITATIVE:
                            args.add("agent", actors(doc, sent, c), "addressee_of_setting")
            return  # the proposer is not a participant
        if rel.startswith("acl:relcl") and any(sent.lemma(c) in ("где", "де") for c in sent.kids[k]) \
                and sent.heads[head] >= 0:  # "побывала в Киеве, где встретилась с ..."
            args.add("agent", subjects_of(doc, sent, sent.heads[head]), "where_clause")
            return
        has_subject = any(sent.rel(c).startswith("nsubj") for c in sent.kids[k])
        if rel == "ccomp" and not has_subject and sent.tokens[k].pos == "VERB":
            args.add("agent", subjects_of(doc, sent, head), "reporting_subject")  # "заявил, что надеется"
            return
        if rel not in ("xcomp", "conj") and not (rel in ("obj", "obl") and is_light_verb(sent.tokens[head])):
            return
        if rel == "conj" and has_subject:  # "..., и стороны условились": not the first verb's subject
            return
        found = subjects_of(doc, sent, head)
        if found:
            args.add("agent", found, "controller")
            return
        note_unresolved(doc, sent, head, args)
        if args.unresolved_subject:
            return
        k = head


def governed_by_light_verb(sent: Sent, k: int) -> bool:
    """"провели переговоры", "готовы к диалогу", "выразил надежду на переговоры"; not "по запросу"."""
    head = sent.heads[k]
    if head < 0 or sent.preposition(k) == "по" or not is_light_verb(sent.tokens[head]):
        return False
    return sent.rel(k) in ("obj", "obl", "xcomp", "nsubj") or (sent.rel(k) == "nmod" and sent.tokens[head].pos == "NOUN")


def subjects_of(doc: Doc, sent: Sent, k: int) -> list[str]:
    """The subject of a verb; one before its "что" belongs to the verb that reports it
    (a parse error); with no subject, a name in the nominative right before the verb."""
    subjects = subject_words(sent, k)
    found = [a for c in subjects for a in actors(doc, sent, c)]
    if not found and sent.rel(k).startswith("acl:relcl") and any(sent.lemma(c) in ("который", "який") for c in subjects):
        found = actors(doc, sent, sent.heads[k])  # "Миллер и Озерец, которые встречаются"
    if not found:  # "Фомин отметил, что военное ведомство готово": the reporter's own body, its side
        found = [a for c in subjects if sent.lemma(c) in OWN_BODIES for a in reporter_side(doc, sent, k)]
    before = sent.tokens[k - 1] if k > 0 else None
    if not subjects and before is not None and sent.tokens[k].pos == "VERB" and not sent.children(k - 1, "case") \
            and (before.feats.get("Case") == "Nom" or before.pos == "PROPN"):
        found = actors(doc, sent, k - 1) if doc.entity_of(sent, k - 1) else []
    return found


def subject_words(sent: Sent, k: int) -> list[int]:
    marks = [c for c in sent.children(k, "mark") if sent.lemma(c) in ("что", "що")]
    return [c for c in sent.kids[k] if sent.rel(c).startswith(SUBJECTS) and not sent.rel(c).startswith("nsubj:pass")
            and not any(min(c, k) < m < max(c, k) for m in marks)]


def note_unresolved(doc: Doc, sent: Sent, k: int, args: Args) -> None:
    """A subject that stands for nobody known and is no anaphoric "стороны", "лидеры"."""
    for c in subject_words(sent, k):
        if not actors(doc, sent, c) and sent.lemma(c) not in ANAPHORIC_SUBJECTS \
                and sent.tokens[c].text.lower() not in UK_ANAPHORIC and sent.tokens[c].pos in ("NOUN", "PROPN"):
            args.unresolved_subject = True


def possessor(doc: Doc, match: Match, args: Args) -> None:
    """"у него были две встречи", "у России нет права вето"."""
    sent, h = match.sent, match.head
    verbs = [h] if sent.lemma(h) in ("нет", "быть") else []
    if sent.rel(h).startswith("nsubj") and sent.heads[h] >= 0 and sent.lemma(sent.heads[h]) in ("быть", "иметься", "нет"):
        verbs.append(sent.heads[h])
    for verb in verbs:
        for k in sent.children(verb, "obl"):
            if sent.preposition(k) == "у":
                args.add("agent", actors(doc, sent, k), "possessor")


def prepositional(doc: Doc, match: Match, args: Args) -> None:
    """Comitative, "между", "против", "для" on the trigger (or its light verb)."""
    sent = match.sent
    heads = list(match.tokens)
    if governed_by_light_verb(sent, match.head):
        heads.append(sent.heads[match.head])
    if not is_noun(sent, match.head):  # "обсуждал ситуацию с госсекретарем": attached to the object
        heads += sent.children(match.head, "obj")
    for h in heads:
        for k in arguments_of(doc, sent, h, match):
            if not sent.rel(k).startswith(("obl", "nmod")):
                continue
            prep = sent.preposition(k)
            if prep in COMITATIVE and sent.tokens[k].feats.get("Case") in ("Ins", None):
                args.add("partner", actors(doc, sent, k), "comitative")
            elif prep in BETWEEN:
                args.add("partner", actors(doc, sent, k), "between")
            elif prep in AGAINST:
                args.add("patient", actors(doc, sent, k), "against")
            elif prep == "для":
                args.add("for_whom", actors(doc, sent, k), "for_whom")
            elif prep == "к" and match.pattern.type in ADDRESSED and is_noun(sent, match.head):
                args.add("patient", actors(doc, sent, k), "addressee")  # "требования Москвы к Вашингтону"
            elif prep == "в" and sent.lemma(k) == "рамка" and match.pattern.frame == "joint":
                for g in sent.children(k, "nmod"):  # "встреча в рамках ОБСЕ": the organization takes part
                    args.add("partner", actors(doc, sent, g), "within")
            elif prep == "при" and sent.lemma(k) == "посредничество":  # "при посредничестве Турции"
                for g in sent.children(k, "nmod"):
                    args.add("partner", actors(doc, sent, g), "mediator")
        for k in sent.children(h, "acl:relcl"):  # "Переговоры, в которых участвовал Чавушоглу"
            if sent.lemma(k) in ("участвовать", "принять", "возглавить", "вести"):
                args.add("partner", subjects_of(doc, sent, k), "took_part")


def possessive(doc: Doc, match: Match, args: Args) -> None:
    """"Его переговоры с председателем КНР": the possessor."""
    sent, h = match.sent, match.head
    for k in sent.children(h, "det", "nmod:poss"):
        args.add("agent", actors(doc, sent, k), "possessive")


def objects(doc: Doc, match: Match, args: Args) -> None:
    sent, h = match.sent, match.head
    if is_noun(sent, h):
        return
    for k in arguments_of(doc, sent, h, match):
        if sent.rel(k) in ("obj", "iobj"):
            args.add("patient", actors(doc, sent, k), "object")


def genitive(doc: Doc, match: Match, args: Args) -> None:
    """"встреча Байдена", "переговоры России", "заседание Совета Россия – НАТО"."""
    sent, h = match.sent, match.head
    if not is_noun(sent, h):
        return
    for k in arguments_of(doc, sent, h, match):
        if sent.rel(k) == "nmod" and sent.preposition(k) is None and sent.tokens[k].feats.get("Case") in ("Gen", None):
            found = actors(doc, sent, k)
            args.add("agent", found, "genitive")
            if not found and sent.tokens[k].pos == "NOUN" and sent.lemma(k) in GROUP_NOUNS:
                args.unresolved_subject = True  # "встреча советников": people the article does not name


def side_adjective(doc: Doc, match: Match, args: Args) -> None:
    """"российско-американские консультации", "российских требований", "наращивание российских сил"."""
    from .actors import side_word

    sent = match.sent
    for k in match.tokens:
        if is_noun(sent, k):
            args.add("agent", side_word(doc, sent, k), "country_adjective")


def by_side(doc: Doc, match: Match, args: Args) -> None:
    """"деэскалация со стороны России"."""
    sent = match.sent
    for k in [k for h in match.tokens for k in sent.children(h, "nmod")]:  # "угрозы санкциями со стороны ЕС"
        if (sent.preposition(k) or "").startswith(("со стороны", "с стороны")):  # "со стороны" parsed as one
            args.add("agent", actors(doc, sent, k), "by_side")
        elif sent.lemma(k) == "сторона" and sent.preposition(k) in ("со", "с"):
            for g in sent.children(k, "nmod"):
                args.add("agent", actors(doc, sent, g), "by_side")


def situation_subject(doc: Doc, match: Match, args: Args) -> None:
    """"Лавров на встрече с Путиным заявил", "Бербок в ходе визита в Москву обсудила":
    the subject of the verb a meeting or visit noun is the setting of."""
    sent, h = match.sent, match.head
    if not is_noun(sent, h) or args.agent or not sent.rel(h).startswith(("obl", "nmod")) or sent.heads[h] < 0:
        return
    from .status import SETTING_NOUNS

    setting_noun = sent.lemma(sent.heads[h]) in SETTING_NOUNS and sent.preposition(sent.heads[h])
    if setting_noun:
        h = sent.heads[h]  # "по итогам консультаций с ...": the setting is "по итогам"
        if sent.heads[h] < 0:
            return
    governor = sent.heads[h]
    comitative = any(sent.preposition(k) in COMITATIVE for k in sent.kids[h] + sent.kids[match.head])
    consulting = sent.lemma(governor) in CONSULT_VERBS  # "обсуждают этот вопрос на саммите"
    if not (comitative or consulting or match.pattern.subtype == "visit") or \
            not (setting_noun or sent.preposition(h) in SITUATION):
        return
    named_before = person_before_setting(doc, sent, h)
    if named_before:  # "Рябков по итогам консультаций с ... заявил", whatever verb the parser hangs it on
        args.add("agent", named_before, "situation_person")
    elif sent.tokens[governor].pos in ("NOUN", "PROPN"):  # "Макрон после переговоров с Путиным: ..."
        found = [a for a in actors(doc, sent, governor, coordinated=False) if doc.entities[a].type == "PER"]
        args.add("agent", found, "situation_person")
    else:
        args.add("agent", clause_subjects(doc, sent, governor), "situation_subject")


def person_before_setting(doc: Doc, sent: Sent, h: int) -> list[str]:
    """The person named in the nominative right before a setting phrase ("Рябков по итогам")."""
    first = min([h] + [c for c in sent.kids[h] if sent.rel(c) == "case"])
    k = first - 1
    if k < 0 or sent.tokens[k].feats.get("Case") not in ("Nom", None):
        return []
    entity = doc.entity_of(sent, k)
    return [entity] if entity is not None and doc.entities[entity].type == "PER" else []


def clause_subjects(doc: Doc, sent: Sent, k: int) -> list[str]:
    """The subject of a verb, or of the verb it is the infinitive or conjunct of."""
    for _ in range(3):
        found = subjects_of(doc, sent, k)
        if found or sent.rel(k) not in ("xcomp", "conj") or sent.heads[k] < 0:
            return found
        k = sent.heads[k]
    return []


def left_subject(doc: Doc, match: Match, args: Args) -> None:
    """For a statement about someone ("Россия и подконтрольные ей силы отвечают за
    эскалацию"), when the parse gives no subject: the nearest name in the nominative
    before the trigger in its clause."""
    sent = match.sent
    if match.pattern.frame != "speaker" or args.agent or args.patient:
        return
    for k in range(match.first - 1, max(-1, match.first - 8), -1):
        if sent.tokens[k].text in (".", ";", ":") or sent.lemma(k) in ("что", "що"):
            return
        if doc.entity_of(sent, k) and sent.tokens[k].feats.get("Case") == "Nom":
            args.add("agent", actors(doc, sent, k), "left_subject")
            return


JOINT_ADJECTIVES = ("совместный", "спільний")


def joint_with(doc: Doc, match: Match, args: Args) -> None:
    """"совместные с Россией учения": the partner named, and the side of whoever says so
    (the quote's speaker, else the subject of the verb the clause is reported by)."""
    from .actors import speaker_side

    sent, h = match.sent, match.head
    for a in sent.children(h, "amod"):
        if sent.lemma(a) not in JOINT_ADJECTIVES:
            continue
        partners = [x for k in sent.children(a, "obl", "nmod") if sent.preposition(k) in COMITATIVE
                    for x in actors(doc, sent, k)]
        speaker = reporter(doc, sent, h)
        side = speaker_side(doc, doc.entities[speaker]) if partners and speaker else None
        args.add("agent", ([side] if side else []) + partners, "joint_with")


OWN_BODIES = ("ведомство", "министерство", "відомство", "міністерство")


def reporter_side(doc: Doc, sent: Sent, k: int) -> list[str]:
    from .actors import speaker_side

    speaker = reporter(doc, sent, k)
    side = speaker_side(doc, doc.entities[speaker]) if speaker else None
    return [side] if side else []


def reporter(doc: Doc, sent: Sent, k: int) -> str | None:
    quote = doc.quote_at(sent.tokens[k].start)
    if quote is not None and quote.speaker in doc.entities:
        return quote.speaker
    clause = sent.clause_head(k)
    if sent.rel(clause).startswith("ccomp") and sent.heads[clause] >= 0:
        found = subjects_of(doc, sent, sent.heads[clause])
        return found[0] if len(found) == 1 else None
    return None


CONVENED = ("скликан", "созван", "организован", "організован")


def convener(doc: Doc, match: Match, args: Args) -> None:
    """"Зустріч, скликана міністром оборони США Ллойдом Остіном": who convenes a meeting takes part."""
    sent, tokens = match.sent, match.sent.tokens
    k = match.last + 1
    if args.agent or match.pattern.frame != "joint" or k + 1 >= len(tokens) or tokens[k].text != "," \
            or not tokens[k + 1].text.lower().startswith(CONVENED):
        return
    for j in range(k + 2, min(len(tokens), k + 9)):
        entity = doc.entity_of(sent, j)
        if entity is not None and doc.entities[entity].type == "PER":
            args.add("agent", [entity], "convener")
            return
        if tokens[j].text in UK_STOPS:
            return


RULES = (own_subject, controller, possessor, possessive, prepositional, objects, genitive, side_adjective,
         by_side, joint_with, situation_subject, left_subject, convener, ukrainian_surface)


def find_arguments(doc: Doc, match: Match) -> Args:
    args = Args()
    for rule in RULES:
        rule(doc, match, args)
    return args
