"""Realistic example networks of schools (fictitious), for demos, tests and benchmarks.

``imworkbook example-network --schools 40 --rounds 3 --seed 1 --out DIR``

* po/vo mix like the Dutch one (about 9 po schools to 1 vo), pupil numbers from the national size
  distribution (po: 18% <= 100, 33% 101-200, 44% 201-500, 4% 501-1000; vo: 400-2000);
* answers correlated within a school (a latent maturity per school plus an offset per area) and
  improving over rounds; some items unanswered, a few "weet niet"/"n.v.t."; desired levels mostly 3-4 (a 5 only
  where a school is already at 4 or 5), and every answer keeps the model's consistency rules (prerequisites);
* for what the school answers (school.scope): mostly one school; some po schools answer for their whole board;
  some vo schools are locations that share a BRIN (identity BRIN + location number);
* investment per area in plausible ranges around the rough reference per pupil of
  ``data/investment/model.yaml`` (po about EUR 55, vo about EUR 85 per pupil for IM; ICT all-in is about
  EUR 150-300 in po and 350-550 in vo): mostly the three required numbers, some schools with the breakdown,
  a levy for the board's support at most schools, and a few schools underfunded on every area. The
  investment has its own random stream per school (changing it leaves the maturity answers alone);
* ``with_errors``: a known set of broken files next to the good ones (see :data:`ERROR_FILES`).

Names and codes are invented (codes start with 9, which no real school code does in this form).
"""

from __future__ import annotations

import json
import random
import zipfile
from pathlib import Path

from imworkbook.base.errors import Invalid
from imworkbook.io.writing import dumps_answers
from imworkbook.model.answers import SCHEMA_VERSION, ItemAnswer, file_name, new_answers
from imworkbook.model.content import MaturityModel, load_investment_model, load_model

ROUNDS = ["2024-2025", "2025-2026", "2026-2027", "2027-2028", "2028-2029"]
_PO_WORDS = ["De Regenboog", "Het Kompas", "De Wilgen", "De Linde", "Het Anker", "De Vlinder", "De Zonnewijzer",
             "Het Palet", "De Klimop", "De Meander", "Het Mozaïek", "De Horizon", "De Sterrenkijker", "De Boomgaard",
             "Het Vogelnest", "De Molenwiek", "De Springplank", "Het Baken", "De Windroos", "De Toverfluit"]
_VO_WORDS = ["College", "Lyceum", "Scholengemeenschap", "Gymnasium", "Vakcollege"]
_PLACES = ["Aaldorp", "Beekum", "Dijkhuizen", "Eemstad", "Hoogveen", "Kerkwoude", "Lindenhaven", "Meerburg",
           "Noordwolde", "Oosterbrug", "Rijnsweerd", "Veldhoven-Oost", "Waterland", "Zandvoorde"]

ERROR_FILES = {  # name -> what is wrong (with_errors=True writes these)
    "kapot.json": "corrupt JSON (cut off halfway)",
    "leeg.json": "empty file",
    "ander-programma.json": "JSON from another tool",
    "te-nieuw.json": "schema version from the future",
    "onbekende-items.json": "valid file with unknown item ids (loads, items set aside)",
    "dubbel.json": "the same school and round as another file",
    "excel-export.csv": "an Excel-style CSV (cp1252, ';', decimal commas)",
    "oud-schema-1.json": "a schema-1 file (loads after migration)",
}


def _pupils(rng: random.Random, sector: str) -> int:
    if sector == "vo":
        return int(rng.triangular(400, 2200, 1100))
    band = rng.choices([(20, 100), (101, 200), (201, 500), (501, 1000), (1001, 1400)],
                       weights=[18, 33, 44, 4, 0.2])[0]
    return rng.randint(*band)


def _level(x: float) -> int:
    return max(1, min(5, int(round(x))))


def desired_level(rng: random.Random, current: int) -> int:
    """A realistic desired level: mostly 3 or 4 (level 3 is the sector's own target for IBP), a step up from
    where the school is, and a 5 only now and then for a school that is already at 4 or 5."""
    if current >= 4:
        return 5 if current == 5 or rng.random() < 0.2 else 4
    if current == 3:
        return rng.choice([3, 4, 4, 4])
    if current == 2:
        return rng.choice([3, 3, 3, 4])
    return rng.choice([2, 3, 3, 3])


def keep_prerequisites(levels: dict[str, list], model: MaturityModel) -> None:
    """Make generated answers keep the model's consistency rules, in place (``levels``: item -> [current,
    target]): a current level that a rule does not allow drops to just below the rule's level; a desired level
    whose requirement is too low raises the requirement's desired level (a school that wants B wants A too)."""
    for _ in range(20):
        unmet = model.unmet({k: tuple(v) for k, v in levels.items()})
        if not unmet:
            return
        for rule, which in unmet:
            if which == "current":
                levels[rule.item][0] = rule.from_level - 1
                if isinstance(levels[rule.item][1], int):
                    levels[rule.item][1] = max(levels[rule.item][1], levels[rule.item][0])
            else:
                levels[rule.requires][1] = max(levels[rule.requires][1], rule.min_level)
    raise ValueError("the prerequisites contradict each other")  # pragma: no cover - content error

def school_code(s: int) -> str:
    """An invented school code for school number ``s``: unique for every ``s`` (a national network has 10,000+)."""
    letters = f"{chr(65 + s // 26 % 26)}{chr(65 + s % 26)}"
    return f"9{s // 676}{letters}" if s < 6760 else f"9{s // 676:03d}{letters}"


def _investment_profile(rng: random.Random, sector: str, pupils: int, inv) -> dict:
    """What a school spends per pupil in all (around the rough reference; one in ten underfunded on everything),
    how much of it is the levy for the board's support, and whether it itemises its money."""
    reference = inv.reference.per_pupil[sector]
    level = rng.lognormvariate(0, 0.3) * (0.35 if rng.random() < 0.1 else 1)
    levy = round(pupils * rng.uniform(5, 12) * level, -1) if rng.random() < 0.7 else None
    weights = {a: ref * rng.uniform(0.6, 1.6) for a, ref in reference.items()}
    return {"pupils": pupils, "level": level, "reference": reference, "weights": weights, "levy": levy,
            "itemised": rng.random() < 0.3, "hours_share": rng.uniform(0.45, 0.8)}


def _area_investment(rng: random.Random, p: dict, area_id: str, ambition: int, r: int, complete: bool,
                     inv) -> dict:
    """One area's investment: its share of the school's budget, more where the ambition is higher."""
    weight = p["weights"].get(area_id, 1.0) * (ambition / 3) ** 0.7
    scale = sum(p["weights"].values()) / sum(p["reference"].values())
    budget = p["pupils"] * p["level"] * weight / scale * (1 + 0.04 * r) - (p["levy"] or 0) / len(p["weights"])
    budget = max(budget, 0.0)
    hours = budget * p["hours_share"] / inv.settings.hourly_rate
    money = round(budget * (1 - p["hours_share"]), -1)
    values: dict = {"ambition": ambition, "hours_im": round(hours * 0.45), "hours_ict": round(hours * 0.55)}
    if p["itemised"]:
        values |= {"licence_per_year": round(money * 0.7, -1), "external_per_year": round(money * 0.3, -1),
                   "one_off_cost": 0, "implementation_cost": 0}
    else:
        values["money_per_year"] = money
    values["support_hours"] = rng.choice([0, 0, 4, 8, 16, 24])
    if rng.random() < 0.3:
        values["fte_formal"] = round(rng.choice([0, 0.05, 0.1]) * (p["pupils"] / 300), 2)
    if rng.random() < 0.5:
        values["tooling"] = rng.choice([0, 1, 1, 2])
    if not complete and rng.random() < 0.3:
        values.pop(rng.choice(["hours_ict", "licence_per_year" if p["itemised"] else "money_per_year"]))
    return values


def generate_network(out: str | Path, schools: int = 40, rounds: int = 3, seed: int = 1,
                     with_errors: bool = False, with_landscape: bool = False) -> list[Path]:
    """Write ``schools`` x ``rounds`` answers files under ``out/<round>/`` and return their paths."""
    if not 1 <= rounds <= len(ROUNDS):
        raise Invalid("value.rounds", most=len(ROUNDS), given=rounds)  # imworkbook example-network --rounds
    rng = random.Random(seed)
    model, inv = load_model(), load_investment_model()
    out = Path(out)
    written: list[Path] = []
    used_names: set[str] = set()
    shared_brin: str | None = None  # a vo location waiting for its sister location (same BRIN)
    for s in range(schools):
        sector = "vo" if rng.random() < 0.1 else "po"
        name = (f"{rng.choice(_VO_WORDS)} {rng.choice(_PLACES)}" if sector == "vo"
                else f"{rng.choice(['Basisschool', 'Kindcentrum', 'OBS', 'CBS'])} {rng.choice(_PO_WORDS)}")
        if name in used_names:
            name = f"{name} {rng.choice(_PLACES)}"
        if name in used_names:  # a large network runs out of combinations: number them
            name = f"{name} {s + 1}"
        used_names.add(name)
        code = school_code(s)
        scope, location = "school", None
        if sector == "vo" and (shared_brin is not None or rng.random() < 0.75):  # a location of a school with more locations on one BRIN
            scope = "vestiging"
            if shared_brin is None:
                shared_brin, location = code, "01"
            else:
                code, location, shared_brin = shared_brin, "02", None
        elif sector == "po" and rng.random() < 0.08:  # a small board that answers for all its schools at once
            scope = "bestuur"
        pupils = _pupils(rng, sector)
        if scope == "bestuur":
            pupils *= rng.randint(2, 5)
        base = rng.gauss(2.1 if sector == "po" else 2.5, 0.55)
        offsets = {a.id: rng.gauss(0, 0.45) for a in model.areas}
        ambition = {a.id: max(1, min(5, int(round(3 + offsets[a.id] * 1.5 + rng.gauss(0, 0.8))))) for a in model.areas}
        growth = rng.uniform(0.05, 0.35)
        complete_investment = rng.random() < 0.85
        irng = random.Random(seed * 1_000_003 + s)  # the investment's own stream
        invest = _investment_profile(irng, sector, pupils, inv)
        for r in range(rounds):
            round_ = ROUNDS[r]
            answers = new_answers(name, sector, round_, code=code, pupils=pupils, model=model, scope=scope,
                                  location=location)
            latent = base + growth * r
            levels: dict[str, list] = {}
            for area in model.areas:
                for item in area.items:
                    if rng.random() < 0.07:
                        continue
                    cur = _level(latent + offsets[area.id] + rng.gauss(0, 0.5))
                    tgt = desired_level(rng, cur)
                    if rng.random() < 0.02:
                        cur, tgt = "weet_niet", tgt
                    elif rng.random() < 0.01:
                        cur, tgt = "nvt", "nvt"
                    levels[item.id] = [cur, tgt]
            keep_prerequisites(levels, model)
            for item_id, (cur, tgt) in levels.items():
                answers.answers[item_id] = ItemAnswer(current=cur, target=tgt)
            answers.investment.levy_eur = invest["levy"] and round(invest["levy"] * (1 + 0.04 * r), -1)
            for area in model.areas:
                answers.investment.areas[area.id] = _area_investment(irng, invest, area.id, ambition[area.id], r,
                                                                     complete_investment, inv)
            if with_landscape and r == rounds - 1:  # its own random stream: the other answers stay the same
                answers.landscape = example_landscape(random.Random(seed * 7919 + s), sector, pupils)
            answers.saved_at = f"{round_[:4]}-11-{1 + s % 28:02d}T10:00:00+00:00"
            path = out / round_ / file_name(name, round_)
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(dumps_answers(answers), encoding="utf-8")
            written.append(path)
    if with_errors:
        written += write_error_files(out / "fouten", written[0] if written else None)
    return written


# (type, activities, registers, uses, yearly cost per pupil) of the usual systems of a school
_SYSTEMS = [
    ("las", ["leerlingzaken.inschrijven", "begeleiding.absentie"], ["leerlinggegevens", "oudergegevens", "absentie"], [], 9),
    ("financien", ["bedrijfsvoering.financien"], ["facturen", "begroting"], [], 3),
    ("lvs", ["begeleiding.volgen", "onderwijs.toetsen"], ["toetsresultaten", "cijfers"], ["leerlinggegevens"], 6),
    ("leerplatform", ["onderwijs.lesgeven", "onderwijs.leermiddelen"], [], ["leerlinggegevens", "licenties"], 12),
    ("oudercommunicatie", ["leerlingzaken.oudercommunicatie"], [], ["oudergegevens"], 3),
    ("rooster", ["ondersteuning.roosteren"], ["rooster"], [], 2),
    ("iam", ["bedrijfsvoering.accounts"], ["accounts"], ["personeelsgegevens"], 4),
    ("hr", ["bedrijfsvoering.personeel"], ["personeelsgegevens"], [], 3),
]


def example_landscape(rng: random.Random, sector: str, pupils: int) -> list:
    """An invented application inventory: the usual systems, with the usual slips (the LAS also invoices the
    parental contribution; a roster in the LAS and in a roster program)."""
    from imworkbook.model.answers import Application

    apps = []
    for kind, activities, masters, uses, per_pupil in _SYSTEMS:
        # every school registers its pupils in a LAS (funding depends on it); other systems are common, not universal
        share = {"las": 1.0, "rooster": 0.9 if sector == "vo" else 0.3, "iam": 0.5,
                 "oudercommunicatie": 0.75}.get(kind, 0.95)
        if rng.random() > share:
            continue
        masters = list(masters)
        activities = list(activities)
        if kind == "las" and rng.random() < 0.35:  # invoices the parental contribution too
            masters.append("facturen")
            activities.append("leerlingzaken.ouderbijdrage")
        if kind == "las" and sector == "vo" and rng.random() < 0.5:
            masters.append("rooster")
        apps.append(Application(
            name=f"{kind.upper() if len(kind) <= 3 else kind.capitalize()}-{rng.choice('ABCDEFGH')}", type=kind,
            activities=activities, masters=masters, uses=list(uses),
            cost_year=round(per_pupil * pupils * rng.uniform(0.6, 1.4), -1), users=int(pupils * rng.uniform(0.05, 1.1)),
            business_fit=rng.choice([2, 3, 3, 4, 4, 5]), technical_fit=rng.choice([1, 2, 3, 3, 4, 4, 5])))
    return apps


def write_error_files(folder: Path, good: Path | None) -> list[Path]:
    """The broken files of :data:`ERROR_FILES` (``good`` is a valid file to derive some from)."""
    folder.mkdir(parents=True, exist_ok=True)
    sample = json.loads(good.read_text(encoding="utf-8")) if good else None
    files = {}
    if sample:
        text = json.dumps(sample, ensure_ascii=False, indent=1)
        files["kapot.json"] = text[: len(text) // 2].encode()
        files["te-nieuw.json"] = json.dumps(sample | {"schema_version": SCHEMA_VERSION + 7}).encode()
        odd = json.loads(text)
        odd["answers"]["zz.bestaat_niet"] = {"current": 2, "target": 3, "note": ""}
        odd["school"] |= {"name": odd["school"]["name"] + " (onbekende items)", "code": None}
        files["onbekende-items.json"] = json.dumps(odd).encode()
        files["dubbel.json"] = good.read_bytes()
        old = json.loads(text)
        old["schema_version"] = 1
        old.pop("investment", None)
        old["school"] |= {"name": old["school"]["name"] + " (oud)", "code": None}
        files["oud-schema-1.json"] = json.dumps(old).encode()
    files["leeg.json"] = b""
    files["ander-programma.json"] = json.dumps({"type": "FeatureCollection", "features": []}).encode()
    files["excel-export.csv"] = "school;item;huidig;gewenst;kosten\nBasisschool Één;visie.ambitieniveau;2;3;1250,50\n".encode(
        "cp1252")
    paths = []
    for name, data in files.items():
        (folder / name).write_bytes(data)
        paths.append(folder / name)
    return paths


def write_zip_slip(path: Path, good: Path) -> Path:
    """A zip with one good member and one whose path climbs out of the target folder (for tests)."""
    with zipfile.ZipFile(path, "w") as zf:
        zf.write(good, arcname=f"2026-2027/{good.name}")
        zf.writestr("../../buiten.json", good.read_bytes())
    return path
