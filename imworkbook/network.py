"""Network comparison in pure, vectorised pandas: many schools, peer groups and rounds, anonymised.

* :func:`network_frames` turns collected answers into tidy frames (one row per school x round x item,
  per school x round x area, per school x round).
* :func:`group_stats` gives n, mean, median, quartiles and P10/P90 per group; a group of fewer than
  ``MIN_GROUP`` (5) schools gets no statistic at all (``te_weinig = True``), so no school can be singled out.
* :func:`percentiles` places one school in its group per area; :func:`trend` follows the schools present
  in consecutive rounds; :func:`shared_items` says how many items two rounds have in common.
* Other schools appear only under a stable pseudonym: a keyed hash (HMAC-SHA256) of the school's code or
  name with a secret the facilitator keeps (:func:`network_secret`), so the codes stay the same every year
  but cannot be traced back without the secret.
"""

from __future__ import annotations

import hashlib
import hmac
import math
import re
import secrets
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from . import paths
from .answers import slug
from .errors import ImworkbookError, Problem
from .storage import atomic_write_bytes, locked
from .content import InvestmentModel, MaturityModel, load_investment_model, load_model
from .collect import Collected
from .fastlane import column_spec, extract_columns

MIN_GROUP = 5
SIZE_BANDS = [(0, 100, "≤100"), (101, 200, "101–200"), (201, 500, "201–500"), (501, 1000, "501–1000"),
              (1001, 10**9, ">1000")]
STATS = ["n", "mean", "median", "q1", "q3", "p10", "p90"]


def school_key(doc: dict) -> str:
    """The identity of a school across rounds: its code, else its name (``doc``: a plain answers document)."""
    school = doc["school"]
    return (school.get("code") or "").strip().upper() or slug(school["name"])


SECRET_FILE = "netwerk-geheim.txt"
_SECRET = re.compile(r"[0-9a-f]{64}")


def network_secret(folder: str | Path | None = None) -> bytes:
    """The facilitator's secret for pseudonyms, created once in ``<werkmap>/netwerk-geheim.txt``.

    Created under a lock and written atomically (readable by the owner only), so it is never empty or half
    written, and two processes starting at once agree on one secret. A file that is not 64 hexadecimal
    characters is refused with a message, never used: a short or empty key would make pseudonyms reversible.
    """
    folder = Path(folder) if folder is not None else paths.workspace_dir()
    path = folder / SECRET_FILE
    if not path.exists():
        folder.mkdir(parents=True, exist_ok=True)
        with locked(path):
            if not path.exists():
                atomic_write_bytes(path, (secrets.token_hex(32) + "\n").encode("ascii"), mode=0o600)
    text = path.read_bytes().decode("ascii", errors="replace").strip()
    if not _SECRET.fullmatch(text):
        raise ImworkbookError(Problem(
            str(path), "", "het netwerkgeheim is leeg of beschadigd (verwacht: 64 tekens 0-9 en a-f) en wordt niet "
            "gebruikt. Zet het bewaarde geheim terug uit je reservekopie; heb je dat niet, verwijder dan dit bestand: "
            "er wordt een nieuw gemaakt en alle schuilnamen veranderen"))
    return text.encode()


def pseudonym(key: str, secret: bytes) -> str:
    """``S-`` + 6 characters of HMAC-SHA256(secret, key): stable, anonymous without the secret."""
    digest = hmac.new(secret, key.encode("utf-8"), hashlib.sha256).hexdigest()
    return "S-" + digest[:6].upper()


def size_band(pupils: float) -> str:
    if pupils is None or pupils != pupils:
        return "onbekend"
    for low, high, label in SIZE_BANDS:
        if low <= pupils <= high:
            return label
    return "onbekend"


@dataclass
class NetworkData:
    schools: pd.DataFrame  # one row per school x round: key, pseudonym, name, code, sector, pupils, band, round
    items: pd.DataFrame  # one row per school x round x item with a level: key, round, area_id, item_id, current, target
    areas: pd.DataFrame  # one row per school x round x area: scores, ambition, investment


def network_frames(documents: "list[dict] | Collected", model: MaturityModel | None = None,
                   inv: InvestmentModel | None = None, secret: bytes = b"") -> NetworkData:
    """Tidy frames of a whole network from plain answers documents or a :class:`~imworkbook.collect.Collected`."""
    model = model or load_model()
    inv = inv or load_investment_model()
    columns = getattr(documents, "columns", None)
    if columns is None:
        columns = extract_columns(list(documents), *column_spec(model, inv))
    return frames_from_columns(columns, model, inv, secret)


def frames_from_columns(columns: dict, model: MaturityModel, inv: InvestmentModel, secret: bytes = b"") -> NetworkData:
    """Build the frames from :func:`~imworkbook.fastlane.extract_columns` output (vectorised)."""
    item_ids, area_ids, euro_fields = column_spec(model, inv)
    schools = pd.DataFrame(columns["schools"], columns=["name", "code", "sector", "pupils", "round"])
    schools["pupils"] = schools["pupils"].astype("float")
    schools.insert(0, "key", [(c or "").strip().upper() or slug(n) for n, c, *_ in columns["schools"]])
    schools["band"] = [size_band(p) for p in schools["pupils"]]
    codes = {k: pseudonym(k, secret) for k in schools["key"].unique()}
    schools["pseudonym"] = schools["key"].map(codes)
    schools = schools[["key", "round", "name", "code", "sector", "pupils", "band", "pseudonym"]]

    doc, item, cur, tgt = columns["items"]
    keep = (item >= 0) & ~(np.isnan(cur) & np.isnan(tgt))
    doc, item = doc[keep], item[keep]
    # object arrays that point at the same few id strings (no new string per row)
    item_names = np.asarray(item_ids, dtype=object)
    item_area = np.asarray([model.area_of(i).id for i in item_ids], dtype=object)
    items = pd.DataFrame({
        "key": schools["key"].to_numpy()[doc], "round": schools["round"].to_numpy()[doc],
        "item_id": item_names[item], "current": cur[keep].astype(float), "target": tgt[keep].astype(float),
        "area_id": item_area[item]})
    items["gap"] = items["target"] - items["current"]
    g = items.groupby(["key", "round", "area_id"], sort=False)
    areas = pd.DataFrame({"current": g["current"].mean(), "target": g["target"].mean(), "gap": g["gap"].mean(),
                          "n_levels": g["current"].count()}).reset_index()

    block = columns["investment"]
    if len(block):
        block = block[block[:, 1] >= 0]
        money = pd.DataFrame(block[:, 2:], columns=["ambition", *euro_fields, "_dep"])
        d = block[:, 0].astype(int)
        money.insert(0, "key", schools["key"].to_numpy()[d])
        money.insert(1, "round", schools["round"].to_numpy()[d])
        money.insert(2, "area_id", np.asarray(area_ids, dtype=object)[block[:, 1].astype(int)])
        rate = inv.settings.hourly_rate
        hours = money[["hours_im", "hours_ict", "hours_other"]].sum(axis=1, skipna=False)
        dep = money["_dep"].fillna(inv.settings.default_depreciation_years)
        money["invest_eur"] = (hours * rate + (money["one_off_cost"] + money["implementation_cost"]) / dep
                               + money["licence_per_year"] + money["external_per_year"] + money["support_hours"] * rate)
        money = money[["key", "round", "area_id", "ambition", "invest_eur"]]
        areas = areas.merge(money, on=["key", "round", "area_id"], how="outer")
    else:
        areas["ambition"] = np.nan
        areas["invest_eur"] = np.nan
    areas = areas.merge(schools[["key", "round", "sector", "pupils", "band"]], on=["key", "round"], how="left")
    areas["invest_per_pupil"] = areas["invest_eur"] / areas["pupils"]
    return NetworkData(schools, items, areas)


def _quantiles(grouped, value: str) -> pd.DataFrame:
    q = grouped[value].quantile([0.1, 0.25, 0.5, 0.75, 0.9]).unstack()
    q.columns = ["p10", "q1", "median", "q3", "p90"]
    return q


def group_stats(frame: pd.DataFrame, by: list[str], value: str, min_n: int = MIN_GROUP) -> pd.DataFrame:
    """n, mean, median, q1, q3, p10, p90 of ``value`` per group; ``te_weinig`` and NaN below ``min_n`` schools.

    ``n`` counts schools with a known value (each school once per group)."""
    data = frame.dropna(subset=[value])
    grouped = data.groupby(by, sort=True, observed=True)
    out = pd.DataFrame({"n": grouped["key"].nunique(), "mean": grouped[value].mean()})
    out = out.join(_quantiles(grouped, value))
    out["te_weinig"] = out["n"] < min_n
    out.loc[out["te_weinig"], [c for c in STATS if c != "n"]] = np.nan
    return out[STATS + ["te_weinig"]]


def select(data: NetworkData, round: str | None = None, sector: str | None = None, band: str | None = None,
           frame: str = "areas") -> pd.DataFrame:
    """Rows of one frame for a round and peer group (None = all)."""
    df = getattr(data, frame)
    if frame == "items":
        df = df.merge(data.schools[["key", "round", "sector", "band"]], on=["key", "round"], how="left")
    mask = pd.Series(True, index=df.index)
    if round:
        mask &= df["round"] == round
    if sector:
        mask &= df["sector"] == sector
    if band:
        mask &= df["band"] == band
    return df[mask]


def percentiles(areas: pd.DataFrame, key: str, value: str = "current", min_n: int = MIN_GROUP) -> pd.DataFrame:
    """Per area: the school's value and its percentile (0-100, share of schools at or below it) in ``areas``.

    NaN (and ``te_weinig``) when the area has fewer than ``min_n`` schools with a value."""
    data = areas.dropna(subset=[value])
    pct = data.groupby("area_id")[value].rank(pct=True, method="max") * 100
    n = data.groupby("area_id")["key"].transform("nunique")
    own = data.assign(percentile=pct, n=n)[data["key"] == key].set_index("area_id")
    out = own[[value, "percentile", "n"]].copy()
    out["te_weinig"] = out["n"] < min_n
    out.loc[out["te_weinig"], "percentile"] = np.nan
    return out


def trend(areas: pd.DataFrame, value: str = "current", min_n: int = MIN_GROUP) -> pd.DataFrame:
    """Per area and round: median and quartiles over the schools present in *every* round of ``areas``,
    plus the number of those schools. Below ``min_n`` schools: no statistic."""
    rounds = sorted(areas["round"].unique())
    present = areas.dropna(subset=[value]).groupby(["area_id", "key"])["round"].nunique()
    stayers = present[present == len(rounds)].reset_index()[["area_id", "key"]]
    data = areas.merge(stayers, on=["area_id", "key"])
    return group_stats(data, ["area_id", "round"], value, min_n)


def shared_items(data: NetworkData, round_a: str, round_b: str) -> int:
    """How many item ids both rounds have answers for (after any question-set mapping)."""
    a = set(data.items.loc[data.items["round"] == round_a, "item_id"])
    b = set(data.items.loc[data.items["round"] == round_b, "item_id"])
    return len(a & b)


def heatmap_frame(areas: pd.DataFrame, schools: pd.DataFrame, highlight: str | None, value: str = "current",
                  order: list[str] | None = None) -> pd.DataFrame:
    """Schools (pseudonyms, the highlighted one by name) x areas, ordered by overall score (high first)."""
    table = areas.pivot_table(index="key", columns="area_id", values=value, aggfunc="mean")
    if order:
        table = table[[a for a in order if a in table.columns]]
    table = table.loc[table.mean(axis=1).sort_values(ascending=False).index]
    names = schools.drop_duplicates("key").set_index("key")
    labels = [names.at[k, "name"] if k == highlight else names.at[k, "pseudonym"] for k in table.index]
    table.index = labels
    return table


def _finite(x: float) -> bool:
    return x is not None and not (isinstance(x, float) and math.isnan(x))


_STAT_NL = {"n": "aantal scholen", "mean": "gemiddelde", "median": "mediaan", "q1": "kwartiel 1",
            "q3": "kwartiel 3", "p10": "P10", "p90": "P90", "te_weinig": "te weinig scholen"}


def comparison_tables(data: NetworkData, model: MaturityModel | None = None, *, round: str | None = None,
                      sector: str | None = None, band: str | None = None) -> dict[str, pd.DataFrame]:
    """The tables a facilitator shares (Dutch headers; no school names, no statistic below 5 schools).

    ``Overzicht``: per area current/desired/gap/investment per pupil; ``Per gebied``: the same per sector
    and size band; ``Per item``: current level per item.
    """
    model = model or load_model()
    names = {a.id: a.name("nl") for a in model.areas}
    areas = select(data, round, sector, band)
    items = select(data, round, sector, band, frame="items")

    def stats(frame, by, value, label):
        out = group_stats(frame, by, value).rename(columns=_STAT_NL)
        return out.rename(columns={c: f"{label}: {c}" for c in out.columns if c not in ("aantal scholen",)})

    parts = [stats(areas, ["area_id"], v, label) for v, label in
             (("current", "huidig"), ("target", "gewenst"), ("gap", "kloof"), ("invest_per_pupil", "€ per leerling"))]
    overview = parts[0]
    for p in parts[1:]:
        overview = overview.join(p.drop(columns=["aantal scholen"]), how="outer")
    overview = overview.reindex([a for a in names if a in overview.index])
    overview.insert(0, "gebied", [names[a] for a in overview.index])

    per_group = stats(areas, ["sector", "band", "area_id"], "current", "huidig").reset_index()
    per_group.insert(3, "gebied", per_group["area_id"].map(names))
    per_group = per_group.rename(columns={"band": "grootte (leerlingen)"}).drop(columns=["area_id"])

    per_item = stats(items, ["area_id", "item_id"], "current", "huidig").reset_index()
    per_item.insert(1, "gebied", per_item["area_id"].map(names))
    per_item.insert(3, "vraag", [model.item(i).question("nl") for i in per_item["item_id"]])
    per_item = per_item.drop(columns=["area_id"]).rename(columns={"item_id": "item"})
    return {"Overzicht": overview.reset_index(drop=True), "Per gebied": per_group, "Per item": per_item}
