"""The gazetteer of actors: the shipped data, lookups, user files and validation."""

import json
from datetime import date
from pathlib import Path

import pytest

from letopis.gazetteer import (
    GazetteerError, Tenure, load_gazetteer, normalize_name, shared_gazetteer,
)

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def gaz():
    return load_gazetteer()


def write_jsonl(path, rows):
    path.write_text("\n".join(r if isinstance(r, str) else json.dumps(r, ensure_ascii=False)
                              for r in rows) + "\n", encoding="utf-8")
    return path


# --- the shipped data --------------------------------------------------------------------


def test_shipped_gazetteer_loads_with_enough_entries(gaz):
    counts = gaz.counts()
    assert len(gaz) >= 400
    assert counts["PER"] >= 150 and counts["ORG"] >= 80 and counts["GPE"] >= 380


def test_every_country_has_a_capital_entry(gaz):
    countries = [e for e in gaz if e.is_country]
    assert len(countries) >= 197
    for country in countries:
        capital = gaz.get(country.capital)
        assert capital is not None, country.id
        assert capital is country or capital.capital_of == country.id, country.id


def test_every_country_name_finds_only_that_country(gaz):
    for country in (e for e in gaz if e.is_country):
        for lang, name in country.names.items():
            assert [e.id for e in gaz.by_name(name)] == [country.id], (lang, name)


def test_shared_gazetteer_is_loaded_once():
    assert shared_gazetteer() is shared_gazetteer()


def test_the_seed_entities_have_the_expected_canonical_names(gaz):
    expected = {"per:blinken_antony": "Энтони Блинкен", "per:biden_joe": "Джо Байден",
                "per:putin_vladimir": "Владимир Путин", "per:stoltenberg_jens": "Йенс Столтенберг",
                "per:donfried_karen": "Карен Донфрид", "org:us_state_department": "Государственный департамент США",
                "org:nato": "НАТО", "gpe:USA": "США", "gpe:RUS": "Россия", "gpe:UKR": "Украина", "gpe:geneva": "Женева"}
    assert {i: gaz.get(i).name("ru") for i in expected} == expected
    assert gaz.get("per:donfried_karen").gender == "f"


# --- roles on a date ---------------------------------------------------------------------

HOLDERS = [
    # role key, country, org, date, the one holder
    ("foreign_minister", "USA", None, "2021-12-22", "per:blinken_antony"),
    ("foreign_minister", "USA", None, "2018-06-01", "per:pompeo_mike"),
    ("head_of_state", "RUS", None, "2008-06-01", "per:medvedev_dmitry"),
    ("head_of_government", "RUS", None, "2008-06-01", "per:putin_vladimir"),
    ("head_of_state", "RUS", None, "2021-12-22", "per:putin_vladimir"),
    ("head_of_state", "UKR", None, "2021-12-22", "per:zelensky_volodymyr"),
    ("defence_minister", "RUS", None, "2021-12-22", "per:shoigu_sergei"),
    ("defence_minister", "USA", "org:us_dod", "2021-12-22", "per:austin_lloyd"),
    ("foreign_minister", "USA", "org:us_state_department", "2021-12-22", "per:blinken_antony"),
    ("head_of_government", "DEU", None, "2021-12-22", "per:scholz_olaf"),
    ("secretary_general", None, "org:nato", "2021-12-22", "per:stoltenberg_jens"),
    ("secretary_general", None, "НАТО", "2021-12-22", "per:stoltenberg_jens"),  # an org by name
    ("secretary_general", None, "org:un", "2021-12-22", "per:guterres_antonio"),
    ("press_secretary", "RUS", None, "2021-12-22", "per:peskov_dmitry"),
    ("head_of_state", None, "Еврокомиссия", "2022-03-01", "per:von_der_leyen_ursula"),  # generic
    ("head", None, "org:iaea", "2022-03-01", "per:grossi_rafael"),
    ("chair", None, "org:state_duma", "2022-03-01", "per:volodin_vyacheslav"),
    ("foreign_minister", None, "org:eu", "2021-12-22", "per:borrell_josep"),
    ("head_of_government", "TUR", None, "2021-12-22", "per:erdogan_recep_tayyip"),
]


@pytest.mark.parametrize("role, country, org, on, expected", HOLDERS)
def test_the_one_holder_of_a_role_on_a_date(gaz, role, country, org, on, expected):
    assert [e.id for e in gaz.holders(role, country=country, org=org, on=on)] == [expected]


def test_two_possible_holders_are_both_returned(gaz):
    # Johnson to 2022-09-06 and Truss from 2022-09-06: the caller links neither
    ids = {e.id for e in gaz.holders("head_of_government", country="GBR", on=date(2022, 9, 6))}
    assert ids == {"per:johnson_boris", "per:truss_liz"}


def test_org_takes_in_its_parts_but_a_generic_head_must_head_the_org_itself(gaz):
    assert [e.id for e in gaz.holders("press_secretary", org="Кремль", on="2021-12-22")] == ["per:peskov_dmitry"]
    assert gaz.holders("head", org="Кремль", on="2021-12-22") == []  # "глава Кремля" may mean the president
    assert [e.id for e in gaz.holders("head", org="ООН", on="2021-12-22")] == ["per:guterres_antonio"]
    assert gaz.holders("head", org="ЕС", on="2021-12-22") == []
    assert [e.id for e in gaz.holders("foreign_minister", org="ЕС", on="2021-12-22")] == ["per:borrell_josep"]


def test_roles_the_gazetteer_cannot_list_completely_find_nobody(gaz):
    assert gaz.holders("spokesperson", country="RUS", on="2021-12-22") == []  # "представитель России"
    assert [e.id for e in gaz.holders("spokesperson", org="МИД России", on="2021-12-22")] == ["per:zakharova_maria"]
    assert gaz.holders("assistant", country="USA", on="2021-12-22") == []  # one of many assistant secretaries
    assert [e.id for e in gaz.holders("assistant", country="USA", on="2021-12-22", known=True)] == ["per:donfried_karen"]
    assert gaz.holders("ambassador", country="RUS", on="2021-12-22") == []
    assert gaz.holders("intelligence_chief", country="USA", on="2021-12-22") == []


def test_an_unknown_org_or_role_finds_nobody(gaz):
    assert gaz.holders("secretary_general", org="Лига наций", on="2021-12-22") == []
    assert gaz.holders("no_such_role", country="USA", on="2021-12-22") == []


def test_a_role_of_month_precision_is_possible_all_month():
    tenure = Tenure(role="foreign_minister", start="2021-09", end="2023")
    assert tenure.possible_on(date(2021, 9, 1)) and tenure.possible_on(date(2023, 12, 31))
    assert not tenure.possible_on(date(2021, 8, 31)) and not tenure.possible_on(date(2024, 1, 1))


def test_roles_for_title(gaz):
    assert [(m.role, m.country) for m in gaz.roles_for_title("Госсекретарь")] == [("foreign_minister", "USA")]
    assert [m.role for m in gaz.roles_for_title("генсек")] == ["secretary_general"]
    assert [m.role for m in gaz.roles_for_title("канцлер", country="DEU")] == ["head_of_government"]
    assert gaz.roles_for_title("канцлер", country="FRA") == []


def test_the_resolvers_role_keys_are_known(gaz):
    """Every role key of the resolver's lexicons is a gazetteer role, or a generic key
    of role_families.tsv whose specific keys are gazetteer roles."""
    families = ROOT / "letopis" / "data" / "resolve" / "role_families.tsv"
    generic = set()
    for line in families.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            key, covered = line.split("\t")
            generic.add(key)
            assert set(covered.split()) <= set(gaz.role_defs), line
    for name in ("role_heads.tsv", "role_phrases.tsv"):
        path = ROOT / "letopis" / "data" / "resolve" / name
        if not path.exists():
            pytest.skip(f"{path} is not there")
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip() and not line.startswith("#"):
                assert line.split("\t")[1] in set(gaz.role_defs) | generic, line


# --- names -------------------------------------------------------------------------------

SAME_ENTRY = [
    ("Блинкен", "Блінкен", "per:blinken_antony"),
    ("Энтони Блинкен", "Ентоні Блінкен", "per:blinken_antony"),
    ("Зеленский", "Зеленський", "per:zelensky_volodymyr"),
    ("Владимир Зеленский", "Володимир Зеленський", "per:zelensky_volodymyr"),
    ("Шмыгаль", "Шмигаль", "per:shmyhal_denys"),
    ("США", "Сполучені Штати", "gpe:USA"),
    ("Соединенные Штаты", "Соединённые Штаты Америки", "gpe:USA"),
    ("Киев", "Київ", "gpe:kyiv"),
    ("Госдеп", "Держдеп", "org:us_state_department"),
    ("ЕС", "ЄС", "org:eu"),
    ("Владимир Владимирович Путин", "Путин Владимир Владимирович", "per:putin_vladimir"),
]


@pytest.mark.parametrize("one, other, expected", SAME_ENTRY)
def test_russian_and_ukrainian_forms_find_the_same_entry(gaz, one, other, expected):
    assert [e.id for e in gaz.by_name(one)] == [expected]
    assert [e.id for e in gaz.by_name(other)] == [expected]


def test_surnames(gaz):
    assert [e.id for e in gaz.by_surname("Блинкен")] == ["per:blinken_antony"]
    assert [e.id for e in gaz.by_surname("фон дер Ляйен")] == ["per:von_der_leyen_ursula"]
    assert [e.id for e in gaz.by_surname("Си")] == ["per:xi_jinping"]
    assert {e.id for e in gaz.by_surname("Джонсон")} == {"per:johnson_boris", "per:johnson_mike"}
    assert gaz.by_surname("Карл") == []  # "Карл III" has no surname


def test_an_ambiguous_alias_names_both(gaz):
    assert {e.id for e in gaz.by_name("МИД")} == {"org:rus_mfa", "org:ukr_mfa"}
    assert [e.id for e in gaz.by_name("МИД России")] == ["org:rus_mfa"]


def test_lang_prefers_that_languages_names(gaz):
    assert [e.id for e in gaz.by_name("Москва", lang="uk")] == ["gpe:moscow"]
    assert gaz.get("gpe:kyiv").name("uk") == "Київ" and gaz.get("gpe:kyiv").name("de") == "Киев"


@pytest.mark.parametrize("text, expected", [
    ("Соединённые  Штаты", "соединенные штаты"),
    ("Об’єднані Арабські Емірати", "об'єднані арабські емірати"),
    ("«Северный поток — 2»", "северный поток-2"),
    ("Папуа — Новая Гвинея", "папуа-новая гвинея"),
])
def test_normalize_name(text, expected):
    assert normalize_name(text) == expected


def test_country_and_metonymy(gaz):
    assert gaz.country("USA").id == "gpe:USA" and gaz.country("USA").capital == "gpe:washington"
    assert gaz.get("gpe:moscow").metonymy_for == ["gpe:RUS"]
    assert gaz.get("gpe:brussels").metonymy_for == ["org:eu", "org:nato"]
    assert "российский" in gaz.country("RUS").adjectives["ru"]


# --- user files --------------------------------------------------------------------------

PERSON = {"id": "per:doe_jane", "type": "PER", "name": {"ru": "Джейн Доу", "en": "Jane Doe"}, "gender": "f",
          "country": "USA", "roles": [{"role": "spokesperson", "org": "org:us_state_department", "country": "USA",
                                       "from": "2030-01-02", "to": None}]}


def test_a_user_file_adds_and_overrides_entries(tmp_path):
    blinken = json.loads(next(line for line in (ROOT / "letopis/data/gazetteer/persons.jsonl")
                              .read_text(encoding="utf-8").splitlines() if '"per:blinken_antony"' in line))
    blinken["aliases"]["ru"].append("Госсекретарь Тони")
    path = write_jsonl(tmp_path / "mine.jsonl", ["# my additions", PERSON, blinken])
    gaz = load_gazetteer([path])
    assert [e.id for e in gaz.by_name("Джейн Доу")] == ["per:doe_jane"]
    assert [e.id for e in gaz.holders("spokesperson", org="Госдеп", on="2030-06-01")] == ["per:doe_jane"]
    assert [e.id for e in gaz.by_name("Госсекретарь Тони")] == ["per:blinken_antony"]
    assert gaz.get("per:blinken_antony").source == f"{path}:3"
    assert str(path) in gaz.sources


def test_an_override_replaces_the_whole_entry(tmp_path):
    path = write_jsonl(tmp_path / "mine.jsonl", [{"id": "gpe:geneva", "type": "GPE", "kind": "city",
                                                 "name": {"ru": "Женева (Швейцария)"}, "country": "CHE"}])
    gaz = load_gazetteer([path])
    assert gaz.get("gpe:geneva").name("en") == "Женева (Швейцария)"
    assert gaz.by_name("Geneva") == []


# --- validation --------------------------------------------------------------------------

BAD = [
    ('{"id": "per:x", "type": "PER", "name": {"ru": "X"}', "bad JSON"),
    ({"type": "PER", "name": {"ru": "X"}}, "missing id"),
    ({"id": "per:x", "name": {"ru": "X"}}, "per:x: missing type"),
    ({"id": "per:x", "type": "PERSON", "name": {"ru": "X"}}, "unknown type 'PERSON'"),
    ({"id": "per:x", "type": "PER"}, "per:x: missing name"),
    ({"id": "org:x", "type": "PER", "name": {"ru": "X"}}, "does not match type PER"),
    ({"id": "per:x", "type": "PER", "name": {"ru": "X"}, "nmae": 1}, "unknown field 'nmae'"),
    ({"id": "per:x", "type": "PER", "name": {"ru": "X"}, "roles": [{"role": "tsar", "from": "2020"}]},
     "role 1: unknown role key 'tsar'"),
    ({"id": "per:x", "type": "PER", "name": {"ru": "X"}, "roles": [{"role": "head_of_state", "from": "2022-01-01", "to": "2021-12-31"}]},
     "role 1: 'from' 2022-01-01 is after 'to' 2021-12-31"),
    ({"id": "per:x", "type": "PER", "name": {"ru": "X"}, "roles": [{"role": "head_of_state", "from": "22.12.2021"}]},
     "role 1: 'from' is not an ISO date"),
    ({"id": "per:x", "type": "PER", "name": {"ru": "X"}, "roles": [{"role": "head_of_state", "from": "2021-02-30"}]},
     "role 1: 'from' is not an ISO date"),
    ({"id": "per:x", "type": "PER", "name": {"ru": "X"}, "roles": [{"role": "head_of_state", "from": "2021", "org": "org:nowhere"}]},
     "role 1: org: unknown id 'org:nowhere'"),
    ({"id": "gpe:atlantis", "type": "GPE", "kind": "country", "country": "ATL", "name": {"ru": "Атлантида"}, "capital": "gpe:poseidonia"},
     "capital: unknown id 'gpe:poseidonia'"),
    ({"id": "per:x", "type": "PER", "name": {"ru": "X"}, "country": "XYZ"}, "country: unknown country 'XYZ'"),
    ({"id": "per:x", "type": "PER", "name": {"ru": "X"}, "wikidata": "7747"}, "bad wikidata id '7747'"),
    ({"id": "per:x", "type": "PER", "name": {"ru": "X"}, "gender": "male"}, "bad gender 'male'"),
]


@pytest.mark.parametrize("line, problem", BAD)
def test_each_validation_error_names_the_file_the_line_and_the_problem(tmp_path, line, problem):
    path = write_jsonl(tmp_path / "extra.jsonl", ["", line])
    with pytest.raises(GazetteerError) as caught:
        load_gazetteer([path])
    message = str(caught.value)
    assert f"extra.jsonl:2: " in message and problem in message, message


def test_a_duplicate_id_within_one_file(tmp_path):
    path = write_jsonl(tmp_path / "extra.jsonl", [PERSON, PERSON])
    with pytest.raises(GazetteerError, match=r"extra.jsonl:2: duplicate id 'per:doe_jane' \(first at .*extra.jsonl:1\)"):
        load_gazetteer([path])


def test_every_problem_is_reported_at_once(tmp_path):
    path = write_jsonl(tmp_path / "extra.jsonl", ["{", {"id": "per:x"}, PERSON])
    with pytest.raises(GazetteerError) as caught:
        load_gazetteer([path])
    assert len(caught.value.problems) == 2


def test_a_missing_user_file(tmp_path):
    with pytest.raises(GazetteerError, match="cannot read"):
        load_gazetteer([tmp_path / "nothing.jsonl"])


def test_the_docs_cover_every_field_and_role_key(gaz):
    from letopis.gazetteer import ROLE_FIELDS, TYPE_FIELDS

    docs = (ROOT / "docs" / "gazetteer.md").read_text(encoding="utf-8")
    for name in set().union(*TYPE_FIELDS.values()) | ROLE_FIELDS:
        assert f"`{name}`" in docs, name
    for key in gaz.role_defs:
        assert f"| `{key}` |" in docs, key
