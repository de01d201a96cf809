"""Realistic example networks of schools (fictitious), for demos, tests and benchmarks.

``imworkbook example-network --schools 40 --rounds 3 --seed 1 --out DIR``

* po/vo mix like the Dutch one (about 9 po schools to 1 vo), pupil numbers from the national size
  distribution (po: 18% <= 100, 33% 101-200, 44% 201-500, 4% 501-1000; vo: 400-2000);
* answers correlated within a school (a latent maturity per school plus an offset per area) and
  improving over rounds; some items unanswered, a few "weet niet"/"n.v.t."; desired levels mostly 3-4 (a 5 only
  where a school is already at 4 or 5), and every answer keeps the model's consistency rules (prerequisites);
* for what the school answers (school.scope): mostly one school; some po schools answer for their whole board;
  some vo schools are locations that share a BRIN (identity BRIN + location number);
* investment per area in plausible ranges (hours and euros scale with pupils; ICT all-in about
  EUR 150-300 per pupil in po and 350-550 in vo, of which a part is information management);
* ``with_errors``: a known set of broken files next to the good ones (see :data:`ERROR_FILES`).

Names and codes are invented (codes start with 9, which no real school code does in this form).
"""

from __future__ import annotations

import json
import random
import zipfile
from pathlib import Path

from .answers import SCHEMA_VERSION, ItemAnswer, dumps_answers, file_name, new_answers
from .content import MaturityModel, load_investment_model, load_model

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
    raise ValueError("de samenhangsregels spreken elkaar tegen")  # pragma: no cover - content error

def school_code(s: int) -> str:
    """An invented school code for school number ``s``: unique for every ``s`` (a national network has 10,000+)."""
    letters = f"{chr(65 + s // 26 % 26)}{chr(65 + s % 26)}"
    return f"9{s // 676}{letters}" if s < 6760 else f"9{s // 676:03d}{letters}"


def generate_network(out: str | Path, schools: int = 40, rounds: int = 3, seed: int = 1,
                     with_errors: bool = False, with_landscape: bool = False) -> list[Path]:
    """Write ``schools`` x ``rounds`` answers files under ``out/<round>/`` and return their paths."""
    if not 1 <= rounds <= len(ROUNDS):
        raise ValueError(f"rounds moet 1 t/m {len(ROUNDS)} zijn; gekregen: {rounds}")
    rng = random.Random(seed)
    model, inv = load_model(), load_investment_model()
    out = Path(out)
    written: list[Path] = []
    used_names: set[str] = set()
    shared_brin: str | None = None  # a vo location waiting for its sister location (same BRIN)
    for s in range(schools):
        sector = "vo" if rng.random() < 0.1 else "po"
        name = (f"{rng.choice(_VO_WORDS)} {rng.choice(_PLACES)}" if sector == "vo"
                else f"{rng.choice(['Basisschool', 'Kindcentrum', 'Obs', 'Cbs'])} {rng.choice(_PO_WORDS)}")
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
        per_pupil = rng.uniform(40, 90) if sector == "po" else rng.uniform(90, 160)  # IM share of ICT budget
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
            total = pupils * per_pupil * (1 + 0.04 * r)
            weights = {a: ambition[a] * rng.uniform(0.4, 1.8) for a in ambition}
            wsum = sum(weights.values())
            for area in model.areas:
                budget = total * weights[area.id] / wsum
                hours_share = rng.uniform(0.4, 0.8)
                hours = budget * hours_share / inv.settings.hourly_rate
                values = {
                    "ambition": ambition[area.id],
                    "hours_im": round(hours * 0.3), "hours_ict": round(hours * 0.4), "hours_other": round(hours * 0.3),
                    "one_off_cost": 0, "implementation_cost": 0,
                    "licence_per_year": round(budget * (1 - hours_share) * 0.7, -1),
                    "external_per_year": round(budget * (1 - hours_share) * 0.3, -1),
                    "fte_formal": round(rng.choice([0, 0, 0.05, 0.1]) * (pupils / 300), 2),
                    "support_hours": rng.choice([0, 0, 4, 8, 16]), "tooling": rng.choice([0, 1, 1, 2]),
                }
                if not complete_investment and rng.random() < 0.3:
                    values.pop(rng.choice(["hours_ict", "licence_per_year", "external_per_year"]))
                answers.investment.areas[area.id] = values
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
    from .answers import Application

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
