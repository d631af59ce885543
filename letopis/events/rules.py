"""The steps from trigger matches to events, in order:

1. ``build``: arguments (participants.py), status (status.py), the speaker of the quote
   the trigger is in (``reported_by``), place and time (setting.py), the frame's slots;
   a RETREAT or CONCEDE wanted from someone becomes a DEMAND ("хотим увидеть отведение
   сил": the speaker's side demands it of the side that should withdraw).
2. ``FILTERS``: an ordered list of small named tests that drop a draft: a condition
   rather than an event ("санкции в случае эскалации"), a light use ("поддерживает
   контакты"), a trigger that needs a context it lacks (``demanded_only``, ...).
3. ``split`` (enumerations.py): one mention, several events.
4. ``inherit_participants``: a meeting named without its sides ("Встреча прошла в
   отеле", "Стороны договорились") takes the participants of the event it refers to.
"""

from __future__ import annotations

from .actors import actors, first_person, speaker_side
from .doc import Doc, Sent
from .draft import Draft
from .enumerations import split
from .lexicon import cue_kinds, is_light_verb, lexicon
from .participants import COMITATIVE, Args, find_arguments, subjects_of
from .setting import place_of, time_of
from .status import read_cues, status_of
from .triggers import Match, find_triggers

DEMANDABLE = ("RETREAT", "CONCEDE")
JOINT_TYPES = ("CONSULT", "AGREE", "COOPERATE")
NEAR_SENTENCES = 0  # an earlier meeting of the same sentence comes first
RECENT_SENTENCES = 8  # how far back an anaphoric meeting looks for its event
SIDES_SENTENCES = 1  # how far back a directed event with no actors looks for its kind
SITUATION_PREPOSITIONS = ("на", "в ходе", "во время", "по итогам", "после")
WILLING = ("possible", "demanded", "conditional")  # statuses of a readiness or a wish, not of a held talk


def draft_events(doc: Doc) -> list[Draft]:
    drafts = []
    for sent in doc.sents:
        matches = find_triggers(doc, sent)
        heads = {m.head: m for m in matches}
        built = {}
        for match in matches:
            draft = build(doc, match)
            gapped(draft, built)
            built[match.head] = draft
            reason = next((name for name, test in FILTERS if test(doc, draft, heads)), None)
            if reason is None:
                drafts.extend(split(doc, draft))
    inherit_participants(doc, drafts)
    inherit_sides(drafts)
    inherit_status(drafts)
    return drafts


# --- building a draft --------------------------------------------------------------------


def build(doc: Doc, match: Match) -> Draft:
    sent = match.sent
    args = find_arguments(doc, match)
    if args.empty:
        args = conjunct_arguments(doc, match) or args
    cues = read_cues(sent, match)
    status, status_rule = status_of(sent, match, cues)
    draft = Draft(match, match.pattern.type, refine_subtype(sent, match), match.start, match.end, args, cues,
                  status=status)
    draft.rules += [f"trigger:{' '.join(match.pattern.words)}", *args.rules, f"status:{status_rule}"]
    quote = doc.quote_at(match.start)
    if quote is not None and quote.speaker in doc.entities:
        draft.reported_by = quote.speaker
    fill_slots(doc, draft)
    draft.we_side = draft.match.pattern.frame == "joint" and we_only(doc, draft)
    if draft.status == "demanded" and draft.type in DEMANDABLE:
        make_demand(doc, draft)
    draft.place = place_of(doc, sent, match, cues.governors, draft.actors)
    draft.time, how = time_of(doc, sent, match, cues.governors, draft.type)
    if draft.time:
        draft.rules.append(f"time:{how}")
    return draft


def we_only(doc: Doc, draft: Draft) -> bool:
    """The one participant is "мы" of a quote: the speaker's side, or the speaker; and no
    partner is named that the article does not know ("с союзниками и партнерами")."""
    sent, head = draft.sent, draft.match.head
    if len(draft.participants) != 1:
        return False
    first = sent.heads[head] if sent.rel(head) == "conj" and sent.heads[head] >= 0 else head
    nodes = [first, *sent.children(first, "conj")]  # "в солидарности, координации, консультациях с ..."
    if any(sent.preposition(k) in COMITATIVE for node in nodes for k in sent.children(node, "obl", "nmod")):
        return False
    chain = set(draft.cues.governors) | {head}  # "мы" of the trigger's clause, not of a relative clause
    return any(sent.tokens[k].text.lower() in ("мы", "ми") and first_person(doc, sent, k) == draft.participants
               and (sent.heads[k] in chain or sent.lang == "uk") for k in range(len(sent.tokens)))


def gapped(draft: Draft, built: dict) -> None:
    """"в среду пройдет заседание X, а в четверг — заседание Y": the second, with no verb
    of its own, has the status of the first."""
    sent, head = draft.sent, draft.match.head
    if "status:default" not in draft.rules:
        return
    first = built.get(sent.heads[head]) if sent.rel(head) == "conj" else None
    if first is None and draft.match.first > 0 and sent.tokens[draft.match.first - 1].text in ("—", "–"):
        same = [d for d in built.values() if d.type == draft.type]  # "..., а в четверг — заседание Y"
        first = same[-1] if same else None
    if first is not None:
        draft.status = first.status
        draft.rules.append("status_of_conjunct")


def conjunct_arguments(doc: Doc, match: Match) -> Args | None:
    """"деэскалацию со стороны России, отведение сил": a noun conjunct shares the first's."""
    from .participants import controller

    sent, head = match.sent, match.head
    if sent.rel(head) != "conj" or sent.tokens[head].pos != "NOUN" or sent.heads[head] < 0:
        return None
    first = sent.heads[head]
    if match.pattern.frame == "joint":  # "находимся в солидарности, координации": the subject only
        args = Args()
        controller(doc, Match(sent, first, (first,), match.pattern), args)
    else:
        args = find_arguments(doc, Match(sent, first, (first,), match.pattern))
    args.rules = [f"conjunct:{rule}" for rule in args.rules]
    return None if args.empty else args


def refine_subtype(sent: Sent, match: Match) -> str | None:
    """"телефонный разговор", "переговоры по видеосвязи": a finer CONSULT subtype."""
    if match.pattern.type != "CONSULT":
        return match.pattern.subtype
    lex = lexicon()
    words = [*match.tokens, *sent.kids[match.head]]
    words += [g for k in sent.kids[match.head] for g in sent.kids[k]]
    for k in words:
        if sent.lemma(k) in lex.subtype_modifiers:
            return lex.subtype_modifiers[sent.lemma(k)]
        form = sent.tokens[k].text.lower()
        for stem, subtype in lex.subtype_stems:
            if form.startswith(stem):
                return subtype
    return match.pattern.subtype


def fill_slots(doc: Doc, draft: Draft) -> None:
    args, frame = draft.args, draft.match.pattern.frame
    if frame == "joint":  # an object takes part only as a person ("принимает Саркози")
        people = [p for p in args.patient if doc.entities[p].type == "PER" and draft.subtype != "visit"]
        draft.participants = unique(args.agent + args.partner + people)
        if not args.agent and args.partner:
            complete_with_speaker(doc, draft)
    elif frame == "directed":
        draft.source = unique(args.agent)
        draft.target = unique(a for a in args.patient + args.for_whom if a not in draft.source)
    elif frame == "threat":  # "России предстоят серьезные последствия", says Blinken: the US threatens
        side = speaker_side(doc, doc.entities[draft.reported_by]) if draft.reported_by else None
        draft.source = unique(args.agent or ([side] if side else []))
        dative = [a for k in governor_datives(draft) for a in actors(doc, draft.sent, k)]
        draft.target = unique(a for a in args.patient + args.for_whom + dative if a not in draft.source)
    else:
        speaker = [draft.reported_by] if draft.reported_by else []
        draft.source = unique(args.for_whom or speaker)
        draft.target = unique(a for a in args.agent + args.patient if a not in draft.source)


def complete_with_speaker(doc: Doc, draft: Draft) -> None:
    """"контакты с американскими коллегами могут пройти", says Zakharova: her side takes
    part; "следующий контакт с Блинкеном возможен", says Lavrov: he does. The speaker is
    the quote's, else the subject of the verb that reports the clause."""
    sent = draft.sent
    speaker = draft.reported_by
    if speaker is None:
        top = draft.cues.governors[-1]
        reporters = [sent.heads[top]] if sent.rel(top).startswith("ccomp") and sent.heads[top] >= 0 else []
        if sent.rel(top).startswith("advcl") and sent.tokens[top].feats.get("VerbForm") == "Conv" \
                and sent.heads[top] >= 0:  # "Отвечая на вопрос о встрече с Блинкеном, Лавров сказал"
            reporters = [sent.heads[top]]
        reporters += [k for k in sent.children(top, "parataxis", "advcl") if sent.tokens[k].pos == "VERB"]
        found = [a for k in reporters for a in subjects_of(doc, sent, k)]
        speaker = found[0] if len(set(found)) == 1 else None
    if speaker is None or speaker in draft.participants:
        return
    people = all(doc.entities[p].type == "PER" for p in draft.participants)
    side = speaker if people else speaker_side(doc, doc.entities[speaker]) or speaker
    draft.participants = unique([side] + draft.participants)
    draft.rules.append("speaker_takes_part")


def governor_datives(draft: Draft) -> list[int]:
    sent = draft.sent
    return [k for node in draft.cues.governors[1:2] for k in sent.children(node, "iobj")
            if sent.tokens[k].feats.get("Case") == "Dat"]


def make_demand(doc: Doc, draft: Draft) -> None:
    """A retreat wanted by someone: a DEMAND by the wanting side of the retreating side."""
    sent = draft.sent
    wanting = next((k for k in draft.cues.governors if "demanded" in cue_kinds(sent.tokens[k])), None)
    demanders = subjects_of(doc, sent, wanting) if wanting is not None else []
    if not demanders and draft.reported_by:
        side = speaker_side(doc, doc.entities[draft.reported_by])
        demanders = [side or draft.reported_by]
    draft.target = unique(draft.source + draft.target) or by_side_on_chain(doc, draft)
    draft.source = unique(d for d in demanders if d not in draft.target)
    draft.type = "DEMAND"
    draft.rules.append("demanded_retreat")


def by_side_on_chain(doc: Doc, draft: Draft) -> list[str]:
    """"деэскалацию со стороны России, отведение сил": the side named on the chain."""
    sent = draft.sent
    for node in draft.cues.governors:
        for k in sent.children(node, "nmod", "obl"):
            if (sent.preposition(k) or "").startswith(("со стороны", "с стороны")):
                return actors(doc, sent, k)
    return []


def unique(items) -> list[str]:
    return list(dict.fromkeys(items))


# --- filters: (name, test) ---------------------------------------------------------------


def is_condition(doc: Doc, draft: Draft, heads) -> bool:
    """"в случае эскалации", "если она решит прибегнуть к агрессии": the condition."""
    return draft.cues.condition_above and "no_condition" not in draft.match.pattern.flags


def wants_demand(doc: Doc, draft: Draft, heads) -> bool:
    return "demanded_only" in draft.match.pattern.flags and draft.status != "demanded"


def wants_ongoing(doc: Doc, draft: Draft, heads) -> bool:
    return "ongoing_only" in draft.match.pattern.flags and draft.status != "ongoing"


def wants_person(doc: Doc, draft: Draft, heads) -> bool:
    if "per_subject" not in draft.match.pattern.flags:
        return False
    return not any(doc.entities[a].type == "PER" for a in draft.args.agent if a in doc.entities)


def light_use(doc: Doc, draft: Draft, heads) -> bool:
    """A verb whose object or setting is itself an event noun: "поддерживает контакты",
    "обсуждалась новая встреча",
    "обсуждают этот вопрос на саммите", "обсуждалась в ходе телефонного разговора"."""
    sent, head = draft.sent, draft.match.head
    if sent.tokens[head].pos not in ("VERB", "AUX") or draft.subtype in ("meeting", "call"):
        return False  # "встречались на полях саммита": a meeting of its own
    governor = sent.heads[head]
    kids = sent.kids[head] + (sent.children(governor, "nsubj") if sent.rel(head) == "xcomp" and governor >= 0 else [])
    for k in kids:  # "могла обсуждаться новая встреча": the modal's subject
        other = heads.get(k)
        if other is None or other.pattern.type != "CONSULT" or other.pattern.subtype == "visit":
            continue
        if sent.rel(k) in ("obj", "nsubj:pass", "nsubj") and k != head or (sent.rel(k).startswith("obl")
                                                    and sent.preposition(k) in SITUATION_PREPOSITIONS):
            return True
    return False


def fixed_phrase(doc: Doc, draft: Draft, heads) -> bool:
    """"с помощью разных каналов", "для обсуждения", "прозрачность военных учений": no
    event (not_triggers.tsv)."""
    sent, first, head = draft.sent, draft.match.first, draft.match.head
    lemma, found = sent.lemma(head), lexicon().not_triggers
    open_to = sent.heads[head] >= 0 and sent.lemma(sent.heads[head]) in OPEN_TO  # "открыта для диалога"
    for size in (1, 2):
        words = " ".join(t.text.lower() for t in sent.tokens[max(0, first - size):first])
        if (words, lemma) in found and not open_to:
            return True
    node, nominal = head, False  # up the nominal chain: "проекты договора с США и соглашения с НАТО"
    for _ in range(3):
        governor, rel = sent.heads[node], sent.rel(node)
        if governor < 0 or not (rel.startswith("nmod") or (rel == "conj" and not nominal)):
            return False  # "формат и место встречи": not the "формат" of the meeting
        nominal = nominal or rel.startswith("nmod")
        if nominal and (("^" + sent.lemma(governor), "*") in found or ("^" + sent.lemma(governor), lemma) in found):
            return not (sent.lemma(governor) in ASKED and draft.participants)
        node = governor
    return False


ASKED = ("вопрос",)
OPEN_TO = ("открытый", "готовый", "відкритий")  # "Москва открыта для диалога": a readiness, not a purpose  # "на вопрос о возможной встрече с Блинкеном": a topic, but a meeting with someone named


def round_of(doc: Doc, draft: Draft, heads) -> bool:
    """"раунд консультаций", "раундов переговоров": the round is the talks named after it."""
    sent, head = draft.sent, draft.match.head
    if draft.subtype != "negotiations" or not sent.tokens[head].text.lower().startswith("раунд"):
        return False
    return any(k in heads and heads[k].pattern.type == "CONSULT" for k in sent.children(head, "nmod")) or \
        any(head + d in heads and heads[head + d].pattern.type == "CONSULT" for d in (1, 2))


GENERIC_DETERMINERS = ("любой", "всякий", "каждый", "весь", "кожен", "кожний", "будь-який", "усі", "всі", "усіх",
                       "всіх")


def generic_determiner(doc: Doc, draft: Draft, heads) -> bool:
    """"любые переговоры", "всех трех встреч", "кожен обмін", "усіх раундів переговорів": no
    one event (also on the noun the trigger is the complement of)."""
    sent, head = draft.sent, draft.match.head
    nodes = [head] + ([sent.heads[head]] if sent.rel(head).startswith("nmod") and sent.heads[head] >= 0 else [])
    return any(sent.lemma(k) in GENERIC_DETERMINERS or sent.tokens[k].text.lower() in GENERIC_DETERMINERS
               for node in nodes for k in sent.children(node, "det", "amod"))


def purpose(doc: Doc, draft: Draft, heads) -> bool:
    """"инициировал заседание, чтобы обсудить происходящее": a purpose, not an event ("мы за
    то, чтобы переговоры продолжались" is a wish: demanded, kept)."""
    sent = draft.sent
    for node in draft.cues.governors:
        if any(sent.lemma(m) in ("чтобы", "щоб") for m in sent.children(node, "mark")):
            return draft.status != "demanded"
    return False


def named_format(doc: Doc, draft: Draft, heads) -> bool:
    """"Диалога по стратегической стабильности", "Минским соглашениям": part of a name."""
    sent, first = draft.sent, draft.match.first
    capital = sent.tokens[first].text[:1].isupper() and first > 0 and sent.tokens[first - 1].text not in ("«", '"', "„")
    named_adjective = first > 0 and sent.tokens[first - 1].pos == "ADJ" and sent.tokens[first - 1].text[:1].isupper() \
        and first - 1 > 0
    return (capital and not is_sentence_start(sent, first)) or named_adjective


def is_sentence_start(sent: Sent, i: int) -> bool:
    return all(t.pos == "PUNCT" for t in sent.tokens[:i])


def plural_talk(doc: Doc, draft: Draft, heads) -> bool:
    return "singular_only" in draft.match.pattern.flags and \
        draft.sent.tokens[draft.match.head].feats.get("Number") == "Plur"


def generic_use(doc: Doc, draft: Draft, heads) -> bool:
    """A meeting noun whose status would come from the negation or the present tense of a
    verb that neither holds, plans nor sets it ("не отказывается от контактов", "не закрыли
    дверь для контактов", "предпочитает диалог", "делает ставку на диалог"): a generic use,
    not a meeting said not to have happened or going on ("встреча не состоялась", "не
    провели переговоров", "переговоры идут", "обсуждают вопрос на саммите" stay)."""
    from .status import OCCURRENCE_VERBS, is_setting

    sent, head = draft.sent, draft.match.head
    if draft.type != "CONSULT" or sent.tokens[head].pos != "NOUN" or not (
            "status:negated" in draft.rules or "status:present" in draft.rules):
        return False
    verbs = [k for k in draft.cues.governors[1:] if sent.tokens[k].pos in ("VERB", "AUX")]
    if not verbs or is_setting(sent, head) or any(is_setting(sent, k) for k in draft.cues.governors[1:-1]):
        return False  # "обсуждают вопрос на саммите", "по итогам консультаций заявил": the setting
    verb = sent.tokens[verbs[0]]
    return sent.lemma(verbs[0]) not in OCCURRENCE_VERBS and not is_light_verb(verb)


FILTERS = (
    ("fixed_phrase", fixed_phrase),
    ("named_format", named_format),
    ("round_of", round_of),
    ("generic_determiner", generic_determiner),
    ("purpose", purpose),
    ("plural_talk", plural_talk),
    ("condition", is_condition),
    ("demanded_only", wants_demand),
    ("ongoing_only", wants_ongoing),
    ("per_subject", wants_person),
    ("light_use", light_use),
    ("generic_use", generic_use),
)


# --- anaphora ------------------------------------------------------------------------------


def predicated(draft: Draft) -> bool:
    """A noun trigger that is the subject of a predicate about the event other than whether
    or when it happens ("учения носят оборонительный характер", "учения не направлены
    против третьих стран"), with no status cue: its tense and negation are not its status."""
    from .status import OCCURRENCE_VERBS

    sent, head = draft.sent, draft.match.head
    if sent.tokens[head].pos != "NOUN" or not sent.rel(head).startswith("nsubj") or draft.cues.kinds:
        return False
    governor = sent.heads[head]
    return governor >= 0 and sent.lemma(governor) not in OCCURRENCE_VERBS and \
        any(f"status:{rule}" in draft.rules for rule in ("negated", "present"))


def inherit_status(drafts: list[Draft]) -> None:
    """A predicated mention (``predicated``) has the status of the mention of the same event
    kind and word nearest before it whose status the text gives, else nearest after it."""
    told = [d for d in drafts if not predicated(d)]
    for draft in drafts:
        if not predicated(draft):
            continue
        lemma = draft.sent.lemma(draft.match.head)
        same = [d for d in told if d.type == draft.type and d.sent.lemma(d.match.head) == lemma]
        before = [d for d in same if d.start < draft.start]
        after = [d for d in same if d.start > draft.start]
        referent = before[-1] if before else after[0] if after else None
        if referent is not None:
            draft.status = referent.status
            draft.rules.append("status:of_referent")


def inherit_sides(drafts: list[Draft]) -> None:
    """"Россия обнародовала свои предложения ... Среди них есть требование ...": a directed
    event with no actors takes those of the same kind of event in the sentence before."""
    for n, draft in enumerate(drafts):
        if draft.actors or draft.match.pattern.frame == "joint":
            continue
        before = [d for d in drafts[:n] if d.type == draft.type and d.source
                  and 0 <= draft.sent.number - d.sent.number <= SIDES_SENTENCES]
        if before:
            draft.source, draft.target = list(before[-1].source), list(before[-1].target)
            draft.rules.append("anaphora:previous_sentence")


def inherit_participants(doc: Doc, drafts: list[Draft]) -> None:
    """A joint event with no participants takes those of the event it refers to: the last
    one of its kind and subtype in the sentences just before, else the last one with two
    sides or more there, else the article's first. One whose only side is "мы" of a quote
    ("Мы договорились", says Lavrov) takes those of the event it refers to when the speaker
    or the speaker's side is among them; one that names a single side in a relative clause
    ("в которых участвовал Чавушоглу") adds it to those of the event it refers to."""
    for n, draft in enumerate(drafts):
        additive = len(draft.participants) == 1 and set(draft.args.rules) <= {"took_part", "mediator"}
        ours = len(draft.participants) == 1 and draft.we_side
        if (draft.participants and not (additive or ours)) or draft.type not in JOINT_TYPES \
                or draft.match.pattern.frame != "joint" or draft.args.unresolved_subject:
            continue
        earlier = [d for d in drafts[:n] if d.participants and d.type == "CONSULT"]
        if two_named(draft):  # "контакт глав ведомств двух стран": a talk of two sides
            earlier = [d for d in earlier if len(d.participants) == 2]
        near = [d for d in drafts[:n] if d.type in JOINT_TYPES and len(d.participants) >= 2
                and draft.sent.number - d.sent.number <= NEAR_SENTENCES]  # "договорились продолжить контакты"
        recent = [d for d in earlier if draft.sent.number - d.sent.number <= RECENT_SENTENCES]
        same = [d for d in recent if d.subtype == draft.subtype]
        same = [d for d in same if len(d.participants) >= 2] or same  # not a mention that names one side
        two_sides = [d for d in recent if len(d.participants) >= 2]
        earlier = [d for d in earlier if len(d.participants) >= 2]
        if not (near or same or earlier):
            continue
        latest = two_sides[-1] if two_sides else None
        if same and latest is not None and latest.start > same[-1].start \
                and set(same[-1].participants) < set(latest.participants):
            same = [latest]  # the same talks, told since with one more side ("в которых участвовал X")
        if latest is not None and demonstrative(draft):
            same = [latest]  # "такая встреча": the one just told, whatever its subtype
        source = near[-1] if near else same[-1] if same else two_sides[-1] if two_sides else earlier[0]
        source = enumerated_item(drafts, source, draft)
        if ours and draft.status in WILLING and draft.sent.tokens[draft.match.head].pos == "NOUN":
            continue  # «Мы готовы к диалогу»: a readiness of one side; «готовы встретиться снова» takes it
        if ours:
            with_speaker = [d for d in recent if draft.reported_by in d.participants and len(d.participants) >= 2]
            if with_speaker and not near:  # «Мы договорились», — сказал Лавров: a talk he took part in
                source = with_speaker[-1]
            if not includes_side(doc, source.participants, draft.participants[0]):
                continue
            draft.participants = list(source.participants)
        else:
            draft.participants = unique(source.participants + draft.participants)
        draft.rules.append("anaphora:same_subtype" if same else "anaphora:main_event")


def enumerated_item(drafts: list[Draft], source: Draft, draft: Draft) -> Draft:
    """Of the events one enumeration split ("переговоры с США в Женеве, с НАТО в Брюсселе"),
    the one held where the anaphoric mention is ("раунд прошел в Женеве"), else the first."""
    items = [d for d in drafts if d.match is source.match and d.start == source.start]
    if len(items) < 2:
        return source
    return next((d for d in items if draft.place and d.place == draft.place), items[0])


DEMONSTRATIVES = ("такой", "этот", "цей", "такий", "ця", "така")


def demonstrative(draft: Draft) -> bool:
    sent = draft.sent
    return any(sent.lemma(k) in DEMONSTRATIVES or sent.tokens[k].text.lower() in DEMONSTRATIVES
               for k in sent.children(draft.match.head, "det", "amod"))


DUAL = ("два", "две", "двух", "двусторонний", "оба", "обе", "обоих", "двосторонній", "обидва")


def two_named(draft: Draft) -> bool:
    sent = draft.sent
    words = [k for c in sent.kids[draft.match.head] for k in sent.subtree(c)]
    return any(sent.lemma(k) in DUAL or sent.tokens[k].text.lower() in DUAL for k in words)


def includes_side(doc: Doc, participants: list[str], side: str) -> bool:
    """The side is among the participants, or speaks for one of them."""
    if side in participants:
        return True
    return any(doc.entities[p].type == "PER" and speaker_side(doc, doc.entities[p]) == side for p in participants)
