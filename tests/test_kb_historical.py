import datetime as dt
from importlib import resources

import pytest
import yaml

from aliansi.actors import ActorStage
from aliansi.kb import DEFAULT_FILES, KnowledgeBase
from aliansi.model import Article, Sentence


def _entries(name):
    text = (resources.files("aliansi") / "data" / "kb" / name).read_text(encoding="utf-8")
    return yaml.safe_load(text)["officials"]


@pytest.fixture(scope="module")
def kb():
    return KnowledgeBase.load()


@pytest.fixture(scope="module")
def stage(kb):
    return ActorStage(kb=kb, ner=False)


def test_kb_historical_is_a_default_file_that_loads(kb):
    assert "officials_historical.yaml" in DEFAULT_FILES
    names = {e["name"] for e in _entries("officials_historical.yaml")}
    assert len(names) > 400
    assert names <= set(kb.officials)


def test_kb_historical_names_and_aliases_do_not_clash_with_officials():
    current = _entries("officials.yaml")
    historical = _entries("officials_historical.yaml")
    assert not {e["name"] for e in current} & {e["name"] for e in historical}
    current_forms = {f.casefold() for e in current for f in [e["name"], *e.get("aliases", [])]}
    owner: dict[str, str] = {}      # case variants of one person's name are fine
    for e in historical:
        for form in [e["name"], *e.get("aliases", [])]:
            assert form.casefold() not in current_forms, form
            assert owner.setdefault(form.casefold(), e["name"]) == e["name"], form


def test_kb_historical_leaves_out_surnames_of_two_holders(kb):
    for surname in ("Bush", "Clinton", "Castro", "Gandhi", "Bhutto", "Kirchner", "Hariri"):
        assert kb.official(surname) is None, surname


@pytest.mark.parametrize("actor, role, inside, outside, name", [
    ("USA", "President", "1985-06-01", "1990-06-01", "Ronald Reagan"),
    ("USA", "President", "1991-02-01", "2003-03-20", "George H. W. Bush"),
    ("USA", "President", "2003-03-20", "1991-02-01", "George W. Bush"),
    ("IRQ", "President", "1990-08-02", "2004-01-01", "Saddam Hussein"),
    ("FRA", "President", "1990-01-01", "1996-01-01", "François Mitterrand"),
    ("GBR", "Prime Minister", "1982-04-02", "1991-01-01", "Margaret Thatcher"),
    ("RUS", "President", "1995-01-01", "2000-06-01", "Boris Yeltsin"),
    ("UN", "Secretary General", "2003-03-01", "2008-01-01", "Kofi Annan"),
    ("NATO", "Secretary General", "1999-03-24", "2000-06-01", "Javier Solana"),
    ("IAEA", "Director General", "2003-01-01", "2011-01-01", "Mohamed ElBaradei"),
    ("UGA", "President", "1995-01-01", "1980-01-01", "Yoweri Museveni"),
    ("ISR", "Prime Minister", "1993-09-13", "1997-01-01", "Yitzhak Rabin"),
    ("DEU", "Chancellor", "1990-10-03", "1999-01-01", "Helmut Kohl"),
    ("EU", "President of the European Commission", "1992-02-07", "1996-01-01", "Jacques Delors"),
])
def test_kb_historical_holder_by_date(kb, actor, role, inside, outside, name):
    holder = kb.holder(actor, role, dt.date.fromisoformat(inside))
    assert holder is not None and holder.name == name
    after = kb.holder(actor, role, dt.date.fromisoformat(outside))
    assert after is None or after.name != name


@pytest.mark.parametrize("text, name, actor", [
    ("Iraqi President Saddam Hussein arrived in Amman on Monday.", "Saddam Hussein", "IRQ"),
    ("President Yoweri Museveni has banned all political rallies.", "Yoweri Museveni", "UGA"),
    ("President Francois Mitterand gave a warm welcome to the visitors.", "Francois Mitterand", "FRA"),
    ("Kofi Annan urged both sides to return to the talks.", "Kofi Annan", "UN"),
    ("Gorbachev met the Chinese leaders in Beijing.", "Gorbachev", "RUS"),     # as written, coded by the KB
    ("Libyan leader Muammar Gaddafi rejected the demand.", "Muammar Gaddafi", "LBY"),
])
def test_kb_historical_names_code_the_actor(stage, text, name, actor):
    article = Article(text=text, language="en", published=None)
    article.sentences = [Sentence(0, len(text), text)]
    persons = {p.name: p.actor for p in stage(article).persons}
    assert persons.get(name) == actor


@pytest.mark.parametrize("published, name", [
    ("1990-08-10", "George H. W. Bush"),
    ("2008-08-15", "George W. Bush"),
])
def test_kb_historical_president_bush_resolves_by_publication_date(stage, published, name):
    text = "President Bush has threatened further action against Russia."
    article = Article(text=text, language="en", published=published)
    article.sentences = [Sentence(0, len(text), text)]
    (person,) = stage(article).persons
    assert (person.name, person.actor, person.kb_name) == ("Bush", "USA", name)
