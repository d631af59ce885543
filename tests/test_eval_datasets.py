"""The dataset readers on the real data in /work/shared/data: offsets line up, counts hold."""

from pathlib import Path

import pytest

from letopis.eval.datasets import (DatasetError, fold_newlines, read_brat, read_dataset, read_text,
                                   split_gold)

DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
FACTRU = DATA / "factRuEval-2016" / "devset"
SLAVICNER = DATA / "slavicner"
NEREL = DATA / "NEREL-v1.1" / "dev"


def needs(path: Path):
    return pytest.mark.skipif(not path.is_dir(), reason=f"the annotated data is not at {path}")


def surfaces(doc, spans=None):
    return [(doc.text[start:end], type_) for start, end, type_ in (doc.mentions if spans is None else spans)]


# --- the rules, on hand-built spans -----------------------------------------------


def test_outermost_mapped_mentions_are_scored_the_rest_ignored():
    types = {"ORGANIZATION": "ORG", "COUNTRY": "LOC"}
    annotations = [(0, 17, "ORGANIZATION"), (14, 17, "COUNTRY"), (0, 13, "FACILITY"), (20, 23, "COUNTRY")]
    mentions, ignored = split_gold(annotations, types)
    assert mentions == [(0, 17, "ORG"), (20, 23, "LOC")]
    assert ignored == [(0, 13, "FACILITY"), (14, 17, "nested LOC")]


def test_crlf_is_folded_and_offsets_move_with_it():
    text = "Лавров\r\nзаявил\r\nБлинкену"
    folded, spans = fold_newlines(text, [(0, 6, "PER"), (16, 24, "PER")])
    assert folded == "Лавров\nзаявил\nБлинкену"
    assert [folded[s:e] for s, e, _ in spans] == ["Лавров", "Блинкену"]


def test_a_bom_is_not_counted(tmp_path):
    path = tmp_path / "a.txt"
    path.write_bytes("\ufeffПутин".encode("utf-8"))
    assert read_text(path) == "Путин"


def test_brat_discontinuous_spans_are_skipped(tmp_path):
    path = tmp_path / "a.ann"
    path.write_text("T1\tPERSON 0 5\tПутин\nT2\tCITY 0 3;5 9\tМос ква\nR1\tWORKS_AS Arg1:T1 Arg2:T2\n",
                    encoding="utf-8")
    assert read_brat(path) == [(0, 5, "PERSON")]


def test_a_wrong_path_says_so(tmp_path):
    with pytest.raises(DatasetError, match="does not exist"):
        read_dataset("nerel", tmp_path / "nowhere")
    with pytest.raises(DatasetError, match="no nerel documents"):
        read_dataset("nerel", tmp_path)
    with pytest.raises(DatasetError, match="neither a SlavicNER folder"):
        read_dataset("slavicner", tmp_path)


# --- factRuEval-2016 ----------------------------------------------------------------


@needs(FACTRU)
def test_factru_devset_counts_and_a_known_document():
    docs = read_dataset("factru", FACTRU)
    assert len(docs) == 122
    assert read_dataset("factru", FACTRU.parent, limit=3) == docs[:3]  # the dataset root means devset
    doc = next(d for d in docs if d.id == "book_100")
    found = surfaces(doc)
    assert ("мэрии Москвы", "ORG") in found  # an object runs from its first span to its last
    assert ("Тверской площади", "LOC") in found and ("Юрия Лужкова", "PER") in found
    assert ("Москвы", "nested LOC") in surfaces(doc, doc.ignored)  # the LocOrg inside the Org


@needs(FACTRU)
def test_factru_offsets_line_up_with_the_text():
    """Every token of .tokens and every span of .spans reads the same in the .txt."""
    docs = {d.id: d for d in read_dataset("factru", FACTRU, limit=10)}
    for id, doc in docs.items():
        for line in read_text(FACTRU / f"{id}.tokens").splitlines():
            fields = line.split()
            if fields:
                start, length, word = int(fields[1]), int(fields[2]), fields[3]
                assert doc.text[start:start + length] == word, (id, line)
        for line in read_text(FACTRU / f"{id}.objects").splitlines():
            shown = line.split("#", 1)[1].split()  # the objects' own words, for reference
            assert any(word in doc.text for word in shown), (id, line)
        assert all(doc.text[s:e].strip() for s, e, _ in doc.mentions)


@needs(FACTRU)
def test_factru_name_spans_drop_descriptors():
    doc = next(d for d in read_dataset("factru", FACTRU, factru_spans="name") if d.id == "book_100")
    found = surfaces(doc)
    assert ("Москвы", "LOC") in found and ("Тверской", "LOC") in found
    assert ("мэрии Москвы", "ORG") not in found


# --- SlavicNER ----------------------------------------------------------------------


@needs(SLAVICNER)
@pytest.mark.parametrize("lang, documents", [("ru", 706), ("uk", 244)])
def test_slavicner_counts_and_every_surface_lines_up(lang, documents):
    docs = read_dataset("slavicner", SLAVICNER, lang=lang)
    assert len(docs) == documents and all(d.lang == lang for d in docs)
    checked = 0
    for doc in docs[:60]:
        topic, _, stem = doc.id.split("/")
        for line in read_text(SLAVICNER / "ner" / topic / lang / f"{stem}.tsv").splitlines():
            start, end, surface = line.split("\t")[:3]
            assert doc.text[int(start):int(end)] == surface, (doc.id, line)
            checked += 1
    assert checked > 500


@needs(SLAVICNER)
def test_slavicner_raw_texts_have_no_metadata_header():
    """Offsets count from the first character of raw/*.txt, which is the title itself
    (BSNLP's original files began with id/lang/date/url lines; these do not)."""
    doc = read_dataset("slavicner", SLAVICNER, limit=1)[0]
    assert doc.id == "asia_bibi/ru/asia_bibi_ru.txt_file_2"
    title = doc.text.split("\n", 1)[0]
    assert title.startswith("Приговоренную к смерти") and title.endswith("оправдали через 8 лет")
    assert doc.mentions[0] == (53, 62, "LOC") and doc.text[53:62] == "Пакистана"  # in the title
    assert surfaces(doc)[:2] == [("Пакистана", "LOC"), ("Асия Биби", "PER")]
    assert ("Sky News", "PRO") in surfaces(doc, doc.ignored)


@needs(SLAVICNER)
def test_slavicner_single_topic():
    docs = read_dataset("slavicner", SLAVICNER / "raw" / "brexit")
    assert len(docs) == 153 and {d.id.split("/")[0] for d in docs} == {"brexit"}
    assert ("Тереза Мэй", "PER") in surfaces(docs[0])


# --- NEREL ------------------------------------------------------------------------


@needs(NEREL)
def test_nerel_dev_counts_and_every_surface_lines_up():
    docs = read_dataset("nerel", NEREL.parent)  # NEREL-v1.1 means its dev/
    assert len(docs) == 94
    checked = 0
    for doc in docs:
        for line in read_text(NEREL / f"{doc.id}.ann").splitlines():
            fields = line.split("\t")
            if line.startswith("T") and ";" not in fields[1]:
                _, start, end = fields[1].split()
                assert doc.text[int(start):int(end)] == fields[2], (doc.id, line)
                checked += 1
    assert checked > 5500
    types = {t for d in docs for *_, t in d.mentions}
    assert types == {"PER", "ORG", "LOC"}


@needs(NEREL)
def test_nerel_nested_locations_inside_organisations_are_ignored():
    doc = next(d for d in read_dataset("nerel", NEREL) if d.id == "119336_text")
    found = surfaces(doc)
    assert ("Обамы", "PER") in found and ("Вашингтоне", "LOC") in found and ("США", "LOC") in found
    assert ("Белого дома", "FACILITY") in surfaces(doc, doc.ignored)
