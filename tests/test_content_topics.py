"""Issue 15, 'missing topics': the question set (version 2) and the landscape reference cover what a school board
expects to be asked about; each topic is looked for in the items' own texts (question, help, levels), not in
comments, so deleting the item that carries a topic fails here."""

import pytest
import yaml

from imworkbook import paths
from imworkbook.content import load_landscape_reference

TOPICS = {  # topic -> words of which one must stand in an item (Dutch texts)
    "functioneel beheer (vraag / functioneel / technisch)": ["functioneel beheer"],
    "functionaris gegevensbescherming": ["functionaris gegevensbescherming"],
    "security officer": ["security officer"],
    "leveranciers- en contractmanagement": ["contract"],
    "bewaren en archiveren": ["bewaartermijn", "archiveren"],
    "afspraken over AI": ["afspraken over het gebruik van AI"],
    "ketenvoorzieningen": ["Entree", "Basispoort", "ECK iD", "OSO", "DUO"],
}


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
    # the chain services are one topic of five names: every one of them must be named somewhere
    assert hits == words if topic == "ketenvoorzieningen" else hits, (topic, words)


def test_the_landscape_reference_has_the_missing_objects_types_and_activities():
    ref = load_landscape_reference()
    assert {"groepen", "toestemmingen", "examendossier", "zorgdossier"} <= {d.id for d in ref.data_objects}
    assert {"zorgdossier", "dashboards", "aanmelden"} <= {s.id for s in ref.system_types}
    assert {"leerlingzaken.aanmelden", "leerlingzaken.inschrijven", "leerlingzaken.overstap",
            "leerlingzaken.toestemming", "onderwijs.examens", "bedrijfsvoering.inkoop",
            "schoolleiding.dashboards"} <= set(ref.activities)
