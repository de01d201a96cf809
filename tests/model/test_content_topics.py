"""Issue 15, 'missing topics' and example leftovers: the question set (version 2) and the landscape reference cover what a school board
expects to be asked about; each topic is looked for in the items' own texts (question, help, levels), not in
comments, so deleting the item that carries a topic fails here."""

import json
import re

import pytest
import yaml

from imworkbook.analysis.proportion import compute
from imworkbook.base import paths
from imworkbook.io.reading import load_answers
from imworkbook.model.content import load_investment_model, load_landscape_reference

from ..conftest import PO_EXAMPLE, VO_EXAMPLE

TOPICS = {  # topic -> words of which one must stand in an item (Dutch texts)
    "functioneel beheer (vraag / functioneel / technisch)": ["functioneel beheer"],
    "functionaris gegevensbescherming": ["functionaris gegevensbescherming"],
    "security officer": ["security officer"],
    "leveranciers- en contractmanagement": ["contract"],
    "bewaren en archiveren": ["bewaartermijn", "archiveren"],
    "afspraken over AI": ["afspraken over het gebruik van AI"],
    "ketenvoorzieningen": ["Entree", "Basispoort", "ECK iD", "OSO", "DUO"],
    # privacy is more than 'is there a processing agreement': lawful basis, minimisation, DPIA, retention
    "rechtmatige verwerking": ["grondslag", "voor het doel nodig", "DPIA", "bewaartermijn"],
}
EVERY_WORD = {"ketenvoorzieningen", "rechtmatige verwerking"}  # topics whose every word must be named


def _strings(node):
    if isinstance(node, str):
        yield node
    elif isinstance(node, dict):
        for value in node.values():
            yield from _strings(value)
    elif isinstance(node, list):
        for value in node:
            yield from _strings(value)


@pytest.fixture(scope="module")
def item_texts():
    texts = []
    for path in sorted((paths.data_dir() / "maturity" / "areas").glob("*.yaml")):
        for item in yaml.safe_load(path.read_text(encoding="utf-8")).get("items", []):
            texts.append(" ".join(_strings({k: v for k, v in item.items() if k != "id"})))
    return texts


@pytest.mark.parametrize("topic", TOPICS)
def test_the_question_set_asks_about(topic, item_texts):
    words = TOPICS[topic]
    hits = [w for w in words if any(w in text for text in item_texts)]
    assert hits == words if topic in EVERY_WORD else hits, (topic, words)


def test_the_landscape_reference_has_the_missing_objects_types_and_activities():
    ref = load_landscape_reference()
    assert {"groepen", "toestemmingen", "examendossier", "zorgdossier"} <= {d.id for d in ref.data_objects}
    assert {"zorgdossier", "dashboards", "aanmelden"} <= {s.id for s in ref.system_types}
    assert {"leerlingzaken.aanmelden", "leerlingzaken.inschrijven", "leerlingzaken.overstap",
            "leerlingzaken.toestemming", "onderwijs.examens", "bedrijfsvoering.inkoop",
            "schoolleiding.dashboards"} <= set(ref.activities)


@pytest.mark.parametrize("path", sorted((paths.data_dir() / "examples").rglob("*.json")), ids=lambda p: p.name)
def test_example_school_names_write_cbs_and_obs_in_capitals(path):
    """Issue 15 listed 'Cbs/Obs' among the language errors of the example network."""
    try:
        school = json.loads(path.read_text(encoding="utf-8")).get("school") or {}
    except ValueError:
        pytest.skip("a broken file on purpose (for the error messages)")
    assert not re.search(r"\b(Cbs|Obs|cbs|obs)\b", school.get("name") or ""), school.get("name")


@pytest.mark.parametrize("path", [PO_EXAMPLE, VO_EXAMPLE], ids=["po", "vo"])
def test_the_examples_do_not_teach_that_privacy_spending_is_excess(model, path):
    """Issue 15: privacy importance 2 gave 'overinvestering', teaching that IBP spending is excess."""
    answers = load_answers(path, model).answers
    result = compute(answers, model, load_investment_model())
    assert answers.investment.areas["privacy"]["ambition"] >= 3
    assert result.table.loc["privacy", "flag"] != "over"
