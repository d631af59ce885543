"""The NEREL events and times scorer (letopis/eval/nerel.py) on hand-written brat files."""

from letopis.eval.nerel import NerelReport, pair_spans, plover_category, read_nerel_events, score_doc
from letopis.record import Entity, Event, Mention, TimeExpr, new_article

TEXT = "Путин встретился с Эрдоганом 5 марта в Сочи.\r\nВ тот же день у мэра 40 лет родился сын.\r\n"
FOLDED = TEXT.replace("\r\n", "\n")


def at(words: str, text: str = TEXT, nth: int = 0) -> tuple[int, int]:
    start = -1
    for _ in range(nth + 1):
        start = text.index(words, start + 1)
    return start, start + len(words)


def brat_line(id: str, label: str, words: str) -> str:
    start, end = at(words)
    return f"{id}\t{label} {start} {end}\t{words}"


def write_doc(folder, name: str = "1_text") -> None:
    lines = [
        brat_line("T1", "PERSON", "Путин"),
        brat_line("T2", "EVENT", "встретился"),
        brat_line("T3", "PERSON", "Эрдоганом"),
        brat_line("T4", "DATE", "5 марта"),
        brat_line("T5", "DATE", "марта"),  # nested: not scored on its own
        brat_line("T6", "CITY", "Сочи"),
        brat_line("T7", "DATE", "В тот же день"),
        brat_line("T8", "PROFESSION", "мэра"),
        brat_line("T9", "EVENT", "родился"),
        brat_line("T11", "AGE", "40 лет"),
        "T10\tEVENT 0 3;6 9\tдискретное",  # discontinuous: skipped, and its relations too
        "R1\tAGENT Arg1:T1 Arg2:T2",
        "R2\tPARTICIPANT_IN Arg1:T3 Arg2:T2",
        "R3\tPOINT_IN_TIME Arg1:T2 Arg2:T4",
        "R4\tTAKES_PLACE_IN Arg1:T2 Arg2:T6",
        "R5\tPOINT_IN_TIME Arg1:T9 Arg2:T7",
        "R6\tPARTICIPANT_IN Arg1:T8 Arg2:T10",
        "N1\tReference T1 Wikidata:Q7747\tПутин",
    ]
    (folder / f"{name}.txt").write_bytes(TEXT.encode("utf-8"))
    (folder / f"{name}.ann").write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_reader_keeps_events_arguments_and_times_on_folded_offsets(tmp_path):
    write_doc(tmp_path)
    [doc] = read_nerel_events(tmp_path)
    assert doc.text == FOLDED
    meeting, birth = doc.events
    assert (meeting.text, meeting.category) == ("встретился", "CONSULT")
    assert (birth.text, birth.category) == ("родился", None)
    assert [(FOLDED[s:e], r) for s, e, r in meeting.arguments] == [("Путин", "AGENT"), ("Эрдоганом", "PARTICIPANT_IN")]
    assert [FOLDED[s:e] for s, e, _ in meeting.times] == ["5 марта"]
    assert [FOLDED[s:e] for s, e, _ in birth.times] == ["В тот же день"]  # after a folded CR LF
    assert [FOLDED[s:e] for s, e, _ in doc.times] == ["5 марта", "В тот же день"]  # "марта" is nested


def test_plover_scope_of_event_words():
    table = [("переговоров", "CONSULT"), ("подписали соглашение", "AGREE"), ("задержан", "COERCE"),
             ("Второй мировой войны", "FIGHT"), ("акция протеста", "PROTEST"), ("обстрела", "ASSAULT"),
             ("выборах", None), ("умер", None), ("родился", None), ("женился", None), ("концерт", None),
             ("судьбы", None), ("суда", "COERCE"), ("покончил жизнь самоубийством", None),
             ("выехал на встречную", None), ("родилась двойня", None), ("демонстрационный полёт", None),
             ("застрелился", None), ("застрелили", "ASSAULT"), ("пресс-конференции", None)]
    assert [(words, plover_category(words)) for words, _ in table] == table


def test_pairs_are_one_to_one_largest_overlap_first():
    assert pair_spans([(0, 6), (5, 10)], [(4, 9)]) == [(1, 0)]
    assert pair_spans([(0, 4)], [(4, 8)]) == []


def article_with(events, entities, times):
    article = new_article(FOLDED)
    article.events, article.entities, article.times = events, entities, times
    return article


def test_scores_triggers_participants_and_times(tmp_path):
    write_doc(tmp_path)
    [doc] = read_nerel_events(tmp_path)
    mention = lambda words, kind="name": Mention(*at(words, FOLDED), words, kind=kind)  # noqa: E731
    entities = [Entity("e1", "PER", "Владимир Путин", [mention("Путин")]),
                Entity("e2", "PER", "Реджеп Эрдоган", [mention("Эрдоганом")]),
                Entity("e3", "LOC", "Сочи", [mention("Сочи")])]
    times = [TimeExpr("t1", *at("5 марта", FOLDED), "5 марта"),
             TimeExpr("t2", *at("тот же день", FOLDED), "тот же день"),
             TimeExpr("t3", *at("40 лет", FOLDED), "40 лет", value="P40Y")]
    meeting = Event("v1", "CONSULT", *at("встретился", FOLDED), "встретился", participants=["e1", "e2", "e3"],
                    time="t1")
    stray = Event("v2", "REQUEST", *at("Сочи", FOLDED), "Сочи")
    report = NerelReport("test")
    score_doc(doc, article_with([meeting, stray], entities, times), report)
    assert (report.triggers.tp, report.triggers.fp, report.triggers.fn) == (1, 1, 1)
    assert (report.scoped.tp, report.scoped.fn) == (1, 0)
    assert report.in_scope == {"CONSULT": [1, 1]}
    assert report.false_by_type == {"REQUEST": 1}
    # both gold arguments found; Сочи is not a participant in NEREL (TAKES_PLACE_IN)
    assert (report.arguments.tp, report.arguments.fp, report.arguments.fn) == (2, 1, 0)
    assert report.by_relation == {"AGENT": [1, 1], "PARTICIPANT_IN": [1, 1]}
    assert report.point_in_time == [1, 1, 1, 2]  # right, attached, on paired events, all
    assert (report.times.tp, report.times.fp, report.times.fn) == (2, 0, 0)
    assert (report.times_exact.tp, report.times_exact.fn) == (1, 1)  # "тот же день" is not "В тот же день"
    assert report.times_by_type == {"DATE": [2, 2]}
    assert report.times_set_aside == 1  # "40 лет" is an AGE in NEREL


def test_a_wrong_time_counts_as_attached_not_right(tmp_path):
    write_doc(tmp_path)
    [doc] = read_nerel_events(tmp_path)
    times = [TimeExpr("t2", *at("тот же день", FOLDED), "тот же день")]
    meeting = Event("v1", "CONSULT", *at("встретился", FOLDED), "встретился", time="t2")
    report = NerelReport("test")
    score_doc(doc, article_with([meeting], [], times), report)
    assert report.point_in_time == [0, 1, 1, 2]
    assert (report.arguments.tp, report.arguments.fp, report.arguments.fn) == (0, 0, 2)


def test_actors_of_an_event_without_gold_participants_are_set_aside(tmp_path):
    write_doc(tmp_path)
    [doc] = read_nerel_events(tmp_path)
    doc.events[0].arguments = []
    entities = [Entity("e1", "PER", "Владимир Путин", [Mention(*at("Путин", FOLDED), "Путин")])]
    meeting = Event("v1", "CONSULT", *at("встретился", FOLDED), "встретился", participants=["e1"])
    report = NerelReport("test")
    score_doc(doc, article_with([meeting], entities, []), report)
    assert (report.arguments.tp, report.arguments.fp, report.arguments.fn) == (0, 0, 0)
    assert (report.events_without_arguments, report.actors_set_aside) == (1, 1)
