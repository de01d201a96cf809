"""Network comparison in pure, vectorised pandas: many schools, peer groups and rounds, anonymised.

* :func:`network_frames` turns collected answers into tidy frames (one row per school x round x item,
  per school x round x area, per school x round).
* Every number about other schools comes from :mod:`imworkbook.analysis.disclosure` (the rule: docs/privacy.md):
  :func:`released_levels`, :func:`released_money` and :func:`released_items` give, per round and for every filter
  combination at once, what may be shown; :func:`comparison_tables`, :func:`trend`, :func:`percentiles` and
  :func:`group_status` read from them, so no screen or export can release more.
* Other schools appear only under a stable pseudonym: a keyed hash (HMAC-SHA256) of the school's code or
  name with a secret the facilitator keeps (:func:`network_secret`), so the codes stay the same every year
  but cannot be traced back without the secret.
"""

from __future__ import annotations

import hmac
import re
import secrets
from dataclasses import dataclass, field
from typing import Callable, Mapping, Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from imworkbook.analysis.disclosure import (ALL, OK, TOO_FEW, WOULD_BETRAY, Measure, Rows, Schools, percentile_rank,
                                            release, release_columns, release_together)
from imworkbook.analysis.proportion import investment_eur
from imworkbook.base import paths
from imworkbook.base.errors import ImworkbookError, Problem
from imworkbook.base.i18n import t
from imworkbook.base.storage import atomic_write_bytes, locked
from imworkbook.io.collect import REPORT_HEADER_KEYS, Collected
from imworkbook.io.fastlane import column_spec, extract_columns
from imworkbook.model.content import InvestmentModel, MaturityModel, load_investment_model, load_model

LEVELS = ("current", "target", "gap")
# the peer-group dimensions a network is compared by: sector, size band and scope (a school, a location or the
# whole board: schools answer different questions under one name otherwise); the disclosure rule checks every
# combination of them together
GROUPS = ("sector", "band", "scope")
UNKNOWN_SCOPE = "onbekend"  # older files (schema < 3) did not say for what they answer
SIZE_BANDS = [(0, 100, "≤100"), (101, 200, "101–200"), (201, 500, "201–500"), (501, 1000, "501–1000"),
              (1001, 10**9, ">1000")]


SECRET_FILE = "netwerk-geheim.txt"
_SECRET = re.compile(r"[0-9a-f]{64}")


def network_secret(folder: str | Path | None = None, notify: Callable[[str], None] | None = None,
                   lang: str = "nl") -> bytes:
    """The facilitator's secret for pseudonyms, created once in ``<werkmap>/netwerk-geheim.txt`` (``notify`` is told
    so, in ``lang``: keep a copy).

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
                if notify is not None:
                    notify(t("net_secret_made", lang, path=path))
    text = path.read_bytes().decode("ascii", errors="replace").strip()
    if not _SECRET.fullmatch(text):
        raise ImworkbookError(Problem(str(path), "", "network.secret_damaged"))
    return text.encode()


PSEUDONYM_HEX = 12  # 48 bits: among 30,000 schools a collision has a chance of about 1 in 600,000 (and is checked)


def pseudonym(key: str, secret: bytes) -> str:
    """``S-`` + 12 characters of HMAC-SHA256(secret, key): stable, anonymous without the secret."""
    digest = hmac.digest(secret, key.encode("utf-8"), "sha256").hex()  # (the one-shot form of hmac.new: faster)
    return "S-" + digest[:PSEUDONYM_HEX].upper()


def size_band(pupils: float) -> str:
    return size_bands([pupils])[0]


def size_bands(pupils) -> list[str]:
    """The size band of each number of pupils (``onbekend`` when unknown or in no band)."""
    values = pd.to_numeric(pd.Series(pupils, dtype=object), errors="coerce").to_numpy(dtype=float)
    return np.select([(low <= values) & (values <= high) for low, high, _ in SIZE_BANDS],
                     [label for _, _, label in SIZE_BANDS], "onbekend").astype(object).tolist()


@dataclass
class NetworkData:
    schools: pd.DataFrame  # one row per school x round: key, pseudonym, name, code, sector, pupils, band, round
    items: pd.DataFrame  # one row per school x round x item with a level: key, round, area_id, item_id, current, target
    areas: pd.DataFrame  # one row per school x round x area: scores, ambition, investment
    _released: dict = field(default_factory=dict, repr=False)  # (kind, round) -> what the rule releases
    _round_items: dict | None = field(default=None, repr=False)  # round -> the item ids answered (from the numbers)


def network_frames(documents: "list[dict] | Collected", model: MaturityModel | None = None,
                   inv: InvestmentModel | None = None, secret: bytes = b"") -> NetworkData:
    """Tidy frames of a whole network from plain answers documents or a :class:`~imworkbook.io.collect.Collected`."""
    model = model or load_model()
    inv = inv or load_investment_model()
    columns = getattr(documents, "columns", None)
    if columns is None:
        columns = extract_columns(list(documents), *column_spec(model, inv))
    return frames_from_columns(columns, model, inv, secret)


def frames_from_columns(columns: dict, model: MaturityModel, inv: InvestmentModel, secret: bytes = b"") -> NetworkData:
    """Build the frames from :func:`~imworkbook.io.fastlane.extract_columns` output (vectorised)."""
    item_ids, area_ids, euro_fields = column_spec(model, inv)
    schools = pd.DataFrame(columns["schools"], columns=["key", "name", "code", "sector", "pupils", "round",
                                                        "hourly_rate", "scope", "location", "levy_eur",
                                                        "levy_attribution"])
    schools["pupils"] = schools["pupils"].astype("float")
    schools["scope"] = schools["scope"].fillna(UNKNOWN_SCOPE)
    schools["band"] = size_bands(schools["pupils"])
    codes = {k: pseudonym(k, secret) for k in schools["key"].unique()}
    if len(set(codes.values())) < len(codes):  # two schools, one pseudonym: an error, never a silent merge
        raise ImworkbookError(Problem(SECRET_FILE, "", "network.pseudonym_collision"))
    schools["pseudonym"] = schools["key"].map(codes)
    schools = schools[["key", "round", "name", "code", "sector", "pupils", "band", "scope", "pseudonym", "hourly_rate",
                       "levy_eur", "levy_attribution"]]

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
    # per school x round x area: grouped by whole numbers (the school-round's number, the area's), not by the
    # strings — the same groups in the same order (of first appearance), at a fraction of the cost
    school_round = schools.groupby(["key", "round"], sort=False).ngroup().to_numpy()  # -1: no key or round
    area_number = {a: n for n, a in enumerate(dict.fromkeys(item_area))}
    area_of_item = np.asarray([area_number[a] for a in item_area], dtype=np.int64)
    g = items.groupby([school_round[doc], area_of_item[item]], sort=False)  # (arrays as keys: no copy of the rows)
    means = pd.DataFrame({"current": g["current"].mean(), "target": g["target"].mean(), "gap": g["gap"].mean(),
                          "n_levels": g["current"].count()})
    means = means[means.index.get_level_values(0) >= 0]  # (no key or round: no group, as a groupby on them gives)
    numbers, first = np.unique(school_round, return_index=True)
    row = first[numbers >= 0][means.index.get_level_values(0).to_numpy()]  # a school-round's first row
    area = np.asarray(list(area_number), dtype=object)[means.index.get_level_values(1).to_numpy()]
    areas = pd.DataFrame({"key": schools["key"].to_numpy()[row], "round": schools["round"].to_numpy()[row],
                          "area_id": area}
                         | {column: means[column].to_numpy() for column in ("current", "target", "gap", "n_levels")})

    block = columns["investment"]
    if len(block):
        block = block[block[:, 1] >= 0]
        money = pd.DataFrame(block[:, 2:], columns=["ambition", *euro_fields, "_dep"])
        d = block[:, 0].astype(int)
        money.insert(0, "key", schools["key"].to_numpy()[d])
        money.insert(1, "round", schools["round"].to_numpy()[d])
        money.insert(2, "area_id", np.asarray(area_ids, dtype=object)[block[:, 1].astype(int)])
        # each school's own hourly rate and levy, as in its own app and report (one rule: proportion.investment_eur)
        rate = pd.Series(schools["hourly_rate"].to_numpy(dtype=float)[d], index=money.index)
        rate = rate.where(rate > 0).fillna(inv.settings.hourly_rate)
        levy = pd.Series(schools["levy_eur"].to_numpy(dtype=float)[d], index=money.index)
        attribution = pd.Series(schools["levy_attribution"].to_numpy(dtype=object)[d], index=money.index)
        attribution = attribution.where(attribution.notna(), inv.settings.levy_attribution)
        money["invest_eur"] = investment_eur(money.rename(columns={"_dep": "depreciation_years"}), rate,
                                             inv.settings.default_depreciation_years, levy=levy,
                                             attribution=attribution, school=pd.Series(d, index=money.index),
                                             n_areas=len(area_ids))["invest_eur"]
        money = money[["key", "round", "area_id", "ambition", "invest_eur"]]
        area_order = list(area_number)
        areas, rows = _join_levels_and_money(areas, money, row, d, means.index.get_level_values(1).to_numpy(),
                                             area_order, block[:, 1].astype(int), area_ids, schools)
    else:
        areas["ambition"] = np.nan
        areas["invest_eur"] = np.nan
        rows = row if not schools.duplicated(["key", "round"]).any() else None
    if rows is not None and len(areas):  # each area row's school by its row number (the left join, without strings)
        for column in ("sector", "pupils", "band", "scope"):
            areas[column] = schools[column].to_numpy()[rows]
    else:
        areas = areas.merge(schools[["key", "round", "sector", "pupils", "band", "scope"]], on=["key", "round"],
                            how="left")
    areas["invest_per_pupil"] = areas["invest_eur"] / areas["pupils"]
    round_code, round_names = pd.factorize(schools["round"].to_numpy(dtype=object))
    pairs = np.unique(round_code[doc].astype(np.int64) * len(item_ids) + item)
    round_items: dict = {r: set() for r in round_names}
    for r, i in zip(*np.divmod(pairs[pairs >= 0], len(item_ids))):
        round_items[round_names[r]].add(item_ids[i])
    return NetworkData(schools, items, areas, _round_items=round_items)


def _join_levels_and_money(levels: pd.DataFrame, money: pd.DataFrame, level_row: np.ndarray, money_row: np.ndarray,
                           level_area: np.ndarray, level_areas: list[str], money_area: np.ndarray,
                           money_areas: list[str], schools: pd.DataFrame) -> tuple[pd.DataFrame, np.ndarray | None]:
    """The outer join of an area's levels and its money on key, round and area id, as ``merge(how="outer")`` gives
    it (rows sorted by key, round and area id), joined on one whole number per row that sorts as those strings do
    (a join on three string columns of 240,000 rows was a fifth of making the frames). ``level_row``,
    ``money_row``: each row's school row; ``level_area``, ``money_area``: each row's area as a position in
    ``level_areas``, ``money_areas``. Also gives each joined row's school row when every school and round is there
    once (else None)."""
    key_code, keys = pd.factorize(schools["key"].to_numpy(dtype=object), sort=True)
    round_code, rounds = pd.factorize(schools["round"].to_numpy(dtype=object), sort=True)
    if (key_code < 0).any() or (round_code < 0).any():  # (a missing key: the join on the strings, as before)
        return levels.merge(money, on=["key", "round", "area_id"], how="outer"), None
    area_names = sorted(set(level_areas) | set(money_areas))
    code = {a: n for n, a in enumerate(area_names)}
    level_code = np.asarray([code[a] for a in level_areas], dtype=np.int64)[level_area]
    money_code = np.asarray([code[a] for a in money_areas], dtype=np.int64)[money_area]
    n_rounds, n_areas = len(rounds), len(area_names)
    school_number = key_code.astype(np.int64) * n_rounds + round_code
    joined = pd.DataFrame({"_k": school_number[level_row] * n_areas + level_code}
                          | {c: levels[c].to_numpy() for c in levels.columns if c not in ("key", "round", "area_id")}
                          ).merge(pd.DataFrame({"_k": school_number[money_row] * n_areas + money_code}
                                               | {c: money[c].to_numpy() for c in ("ambition", "invest_eur")}),
                                  on="_k", how="outer")
    number = joined.pop("_k").to_numpy()
    school, area = np.divmod(number, n_areas)
    out = pd.DataFrame({"key": np.asarray(keys, dtype=object)[school // n_rounds],
                        "round": np.asarray(rounds, dtype=object)[school % n_rounds],
                        "area_id": np.asarray(area_names, dtype=object)[area]})
    rows = None
    if len(np.unique(school_number)) == len(school_number):  # every school and round once
        row_of = np.full(len(keys) * n_rounds, -1, dtype=np.int64)
        row_of[school_number] = np.arange(len(school_number))
        rows = row_of[school]
    return pd.concat([out, joined], axis=1), rows


def select(data: NetworkData, round: str | None = None, sector: str | None = None, band: str | None = None,
           frame: str = "areas", scope: str | None = None) -> pd.DataFrame:
    """Rows of one frame for a round and peer group (None = all)."""
    df = getattr(data, frame)
    if frame == "items":
        df = df.merge(data.schools[["key", "round", *GROUPS]], on=["key", "round"], how="left")
    mask = pd.Series(True, index=df.index)
    if round:
        mask &= df["round"] == round
    for column, value in (("sector", sector), ("band", band), ("scope", scope)):
        if value:
            mask &= df[column] == value
    return df[mask]


def with_cohort(areas: pd.DataFrame, values: Sequence[str] = LEVELS) -> pd.DataFrame:
    """``areas`` plus ``cohort``: the school has ``values`` for the area in every round of ``areas``."""
    return areas.assign(cohort=_cohort(areas, values))


def _cohort(areas: pd.DataFrame, values: Sequence[str] = LEVELS) -> np.ndarray:
    """Per row of ``areas`` (:func:`with_cohort`): the rounds counted per school and area on whole numbers, not
    grouped by strings."""
    rounds = areas["round"].nunique()
    key, area, round_ = (pd.factorize(areas[column].to_numpy(dtype=object))[0]
                         for column in ("key", "area_id", "round"))
    if (key < 0).any() or (area < 0).any() or (round_ < 0).any():  # (a key, area or round missing: grouped)
        known = areas.dropna(subset=list(values))
        present = known.groupby(["area_id", "key"])["round"].nunique()
        stayers = present[present == rounds].index
        return pd.MultiIndex.from_arrays([areas["area_id"], areas["key"]]).isin(stayers)
    if not len(areas):
        return np.zeros(0, dtype=bool)
    known = areas[list(values)].notna().all(axis=1).to_numpy()
    n_rounds = int(round_.max()) + 1
    pair = key.astype(np.int64) * (int(area.max()) + 1) + area
    n_pairs = int(pair.max()) + 1
    if n_pairs * n_rounds <= 8 * len(areas) + 10**6:  # each school x area x round with values, marked once
        seen = np.zeros((n_pairs, n_rounds), dtype=bool)
        seen[pair[known], round_[known]] = True
        return seen.sum(axis=1)[pair] == rounds
    seen = np.unique(pair[known] * n_rounds + round_[known])
    return np.bincount(seen // n_rounds, minlength=n_pairs)[pair] == rounds


def _released(data: NetworkData, kind: str, round: str | None) -> pd.DataFrame:
    """What the rule releases for ``kind`` (levels, items, money), one round or all, made once per network and
    round (a screen asks for the same tables for every chart and filter; rounds are independent)."""
    rounds = sorted(data.schools["round"].unique()) if round is None else [round]
    parts = []
    cohort = None  # (of all rounds: counted once)
    for r in rounds:
        if (kind, r) not in data._released:
            schools = _round_schools(data, r)
            if kind == "money":
                data._released[(kind, r)] = _release_money(data, r, schools)
            else:
                cohort = _cohort(data.areas) if cohort is None else cohort
                levels, items = _release_levels_and_items(data, r, schools, cohort)
                data._released[("levels", r)], data._released[("items", r)] = levels, items
        parts.append(data._released[(kind, r)])
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()


def _round_schools(data: NetworkData, round: str) -> tuple[Schools, pd.Index] | None:
    """The schools of a round, prepared once for the disclosure check of all its families (and their keys, to
    find a row's school); None when the frames are released as they are: a school twice in the round, a key or a
    group missing."""
    schools = data.schools[_equals(data.schools["round"], round)]
    keys = pd.Index(schools["key"])
    if not keys.is_unique or keys.hasnans:
        return None
    codes, labels = {}, {}
    for f in GROUPS:  # (as release_together does it for the schools of one check)
        inverse, found = pd.factorize(schools[f].astype(str).to_numpy(dtype=object), sort=True)
        if (inverse < 0).any():
            return None
        labels[f], codes[f] = np.asarray(found, dtype=str), np.asarray(inverse, dtype=np.int64)
    return Schools(codes, labels, schools["key"].astype(str).to_numpy(dtype=object)), keys


def _rows_of(frame: pd.DataFrame, round: str, known: str | Sequence[str], family: str,
             keys: pd.Index) -> tuple[np.ndarray, list, np.ndarray, list[np.ndarray]] | None:
    """The rows of ``round`` with ``known`` known, by ``family`` (in the order of its first row, as a groupby
    without sorting): the rows (positions in ``frame``), the families, each row's school (position in ``keys``)
    and per family its rows (positions among the rows, in frame order). None if a row's school is not in ``keys``."""
    known = [known] if isinstance(known, str) else list(known)
    rows = np.flatnonzero(_equals(frame["round"], round) & frame[known].notna().all(axis=1).to_numpy())
    key = frame["key"].to_numpy(dtype=object)[rows]
    # (a school's rows usually follow each other: each run of one key looked up once)
    run = np.flatnonzero(np.concatenate([[True], key[1:] != key[:-1]])) if len(key) else np.zeros(0, dtype=np.int64)
    school = np.repeat(keys.get_indexer(key[run]), np.diff(np.append(run, len(key))))
    if (school < 0).any():
        return None
    code, families = pd.factorize(frame[family].to_numpy(dtype=object)[rows])
    order = np.argsort(code.astype(np.int16) if len(families) < 2**15 else code, kind="stable")  # (int16: radix sort)
    bounds = np.searchsorted(code[order], np.arange(len(families) + 1))  # (a missing family: code -1, first)
    return rows, list(families), school, [order[bounds[i]:bounds[i + 1]] for i in range(len(families))]


def _equals(column: pd.Series, value) -> np.ndarray:
    """``(column == value)`` as booleans (a missing value: False), compared as Python objects (faster)."""
    try:
        return np.asarray(column.to_numpy(dtype=object) == value, dtype=bool)
    except TypeError:  # (pd.NA has no truth value)
        return (column == value).to_numpy(dtype=bool, na_value=False)


def _release_money(data: NetworkData, round: str, prepared: tuple[Schools, pd.Index] | None) -> pd.DataFrame:
    """Investment per pupil per area in ``round``: ``release(areas of the round, "invest_per_pupil",
    family_by=["area_id"], filters=GROUPS, unit="euro")``, on the round's prepared schools."""
    found = None if prepared is None else _rows_of(data.areas, round, "invest_per_pupil", "area_id", prepared[1])
    if found is None:
        part = data.areas[data.areas["round"] == round]
        return release(part, "invest_per_pupil", family_by=["area_id"], filters=GROUPS, unit="euro").assign(round=round)
    rows, families, school, by_family = found
    money = data.areas["invest_per_pupil"].to_numpy(dtype=float)[rows]
    out = []
    for area_id, at_rows in zip(families, by_family):
        rows_ = Rows(school[at_rows], money[at_rows][:, None], money[at_rows])
        out.extend(release_columns(prepared[0], [Measure(None, ["invest_per_pupil"], {"area_id": area_id}, None,
                                                         "euro", rows=rows_)], GROUPS))
    columns = ["area_id", *GROUPS, "n", "invest_per_pupil", "lower", "upper", "status", "halves_status"]
    return _one_frame(out, columns).assign(round=round)


def _one_frame(tables: list[dict[str, list]], columns: list[str]) -> pd.DataFrame:
    """The tables (columns from :func:`release_columns`) one after the other, as one frame with ``columns``."""
    if not tables:
        return pd.DataFrame(columns=columns)
    return pd.DataFrame({c: [value for table in tables for value in table[c]] for c in columns})


def _release_levels_and_items(data: NetworkData, round: str, prepared: tuple[Schools, pd.Index] | None = None,
                              cohort: np.ndarray | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Per area, its levels (current, target, gap; with the cohort) and its items in ONE check: an area's score is
    the mean of the item levels a school gave, so releasing them separately could give one school's score.

    ``prepared``: the round's schools (:func:`_round_schools`), ``cohort``: per row of ``data.areas``
    (:func:`_cohort`); the rows of an area and of each item go to the check as arrays, not as frames."""
    cohort = _cohort(data.areas) if cohort is None else cohort
    area_rows = item_rows = None
    if prepared is not None:
        area_rows = _rows_of(data.areas, round, list(LEVELS), "area_id", prepared[1])
        item_rows = _rows_of(data.items, round, "current", "item_id", prepared[1])
    if area_rows is None or item_rows is None:
        return _release_levels_and_items_frames(data, round, cohort)
    schools = prepared[0]
    rows, areas, area_school, by_area = area_rows
    levels = data.areas[list(LEVELS)].to_numpy(dtype=float)[rows]
    in_cohort = cohort[rows]
    i_rows, item_ids, item_school, by_item = item_rows
    current = data.items["current"].to_numpy(dtype=float)[i_rows]
    item_area = data.items["area_id"].to_numpy(dtype=object)[i_rows]
    area_of_item = [item_area[at[0]] for at in by_item]  # (the area of an item's first row)

    def item(i: int, phase: int) -> Measure:
        at = by_item[i]
        return Measure(None, ["current"], {"item_id": item_ids[i]}, phase=phase,
                       rows=Rows(item_school[at], current[at][:, None], current[at]))
    levels_out, items_out, done = [], [], set()
    for area_id, at in zip(areas, by_area):
        measures = [Measure(None, list(LEVELS), {"area_id": area_id}, "current", cohort="cohort",
                            rows=Rows(area_school[at], levels[at], levels[at, 0], in_cohort[at]))]
        mine = [i for i, a in enumerate(area_of_item) if a == area_id]
        measures += [item(i, 1) for i in mine]
        done.update(mine)
        tables = release_columns(schools, measures, GROUPS)
        levels_out.append(tables[0])
        items_out.extend(tables[1:])
    for i in range(len(item_ids)):  # items of an area no school has levels for: on their own
        if i not in done:
            items_out.extend(release_columns(schools, [item(i, 0)], GROUPS))
    level_columns, item_columns = _level_and_item_columns()
    return (_one_frame(levels_out, level_columns).assign(round=round),
            _one_frame(items_out, item_columns).assign(round=round))


def _level_and_item_columns() -> tuple[list[str], list[str]]:
    """The columns of the released levels and of the released items."""
    return (["area_id", *GROUPS, "cohort", "n", *LEVELS, "lower", "upper", "status", "halves_status"],
            ["item_id", *GROUPS, "n", "current", "lower", "upper", "status", "halves_status"])


def _level_and_item_tables(levels_out: list[pd.DataFrame], items_out: list[pd.DataFrame],
                           round: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    level_columns, item_columns = _level_and_item_columns()
    levels = pd.concat(levels_out, ignore_index=True)[level_columns] if levels_out else pd.DataFrame(
        columns=level_columns)
    items_table = pd.concat(items_out, ignore_index=True)[item_columns] if items_out else pd.DataFrame(
        columns=item_columns)
    return levels.assign(round=round), items_table.assign(round=round)


def _release_levels_and_items_frames(data: NetworkData, round: str, cohort: np.ndarray) -> tuple[pd.DataFrame,
                                                                                                 pd.DataFrame]:
    """:func:`_release_levels_and_items` with frames, for a round whose schools cannot be prepared once."""
    areas = data.areas.assign(cohort=cohort)
    areas = areas[areas["round"] == round]
    items = _items_with_groups(data, round).dropna(subset=["current"])
    item_groups = dict(tuple(items.groupby("item_id", sort=False)))
    levels_out, items_out = [], []
    for area_id, part in areas.dropna(subset=list(LEVELS)).groupby("area_id", sort=False):
        measures = [Measure(part, list(LEVELS), {"area_id": area_id}, "current", cohort="cohort")]
        measures += [Measure(frame, ["current"], {"item_id": item_id}, phase=1)
                     for item_id, frame in item_groups.items() if frame["area_id"].iloc[0] == area_id]
        tables = release_together(measures, GROUPS)
        levels_out.append(tables[0])
        items_out.extend(tables[1:])
    done = {t["item_id"].iloc[0] for t in items_out if len(t)}
    for item_id, frame in item_groups.items():  # items of an area no school has levels for: on their own
        if item_id not in done:
            items_out.extend(release_together([Measure(frame, ["current"], {"item_id": item_id})], GROUPS))
    return _level_and_item_tables(levels_out, items_out, round)


def released_levels(data: NetworkData, round: str | None = None) -> pd.DataFrame:
    """Current, desired and gap per area and every filter combination in ``round`` (all rounds when None), as the
    rule releases them (:mod:`imworkbook.analysis.disclosure`), with the cohort of schools present in every round."""
    return _released(data, "levels", round)


def released_money(data: NetworkData, round: str | None = None) -> pd.DataFrame:
    """Investment per pupil per area, as released."""
    return _released(data, "money", round)


def released_items(data: NetworkData, round: str | None = None) -> pd.DataFrame:
    """Current level per item, as released (checked together with its area's levels)."""
    return _released(data, "items", round)


def _items_with_groups(data: NetworkData, round: str) -> pd.DataFrame:
    """The item rows of one round with sector, size band and scope (``select(data, round, frame="items")``, but
    the round's rows picked before they are joined to their school, not after)."""
    items = data.items[data.items["round"] == round]
    schools = data.schools.loc[data.schools["round"] == round, ["key", "round", *GROUPS]]
    row = pd.Index(schools["key"]).get_indexer(items["key"]) if schools["key"].is_unique else None
    if row is None or (row < 0).any():  # (a school twice in a round, or not at all: the plain join)
        return items.merge(schools, on=["key", "round"], how="left")
    groups = schools[list(GROUPS)].iloc[row].reset_index(drop=True)
    return pd.concat([items.reset_index(drop=True), groups], axis=1)


def at(released: pd.DataFrame, round: str | None = None, sector: str | None = None, band: str | None = None,
       cohort: bool = False, scope: str | None = None) -> pd.DataFrame:
    """The rows of a released table for one filter (None = all)."""
    mask = ((released["sector"] == (sector or ALL)) & (released["band"] == (band or ALL))
            & (released["scope"] == (scope or ALL)))
    if round is not None:
        mask &= released["round"] == round
    if "cohort" in released:
        mask &= released["cohort"] == cohort
    return released[mask]


def group_status(data: NetworkData, round: str, sector: str | None = None,
                 band: str | None = None, scope: str | None = None) -> dict[str, str]:
    """Per area: whether the rule releases the levels of this group (``OK``) or why not."""
    rows = at(released_levels(data, round), round, sector, band, scope=scope)
    return dict(zip(rows["area_id"], rows["status"]))


def percentiles(areas: pd.DataFrame, key: str, status: Mapping[str, str] | None = None,
                value: str = "current") -> pd.DataFrame:
    """Per area: the school's value, its place in the group (percentile, rounded to tens) and why it is not shown.

    ``areas``: the group (one round and filter); ``status``: per area the group's release status (from
    :func:`released_levels`); without it, the status is computed for ``areas`` as one group."""
    data = areas.dropna(subset=list(LEVELS) if value in LEVELS else [value])
    if status is None:
        status = dict(zip(*release(data.assign(sector=ALL, band=ALL, scope=ALL), value, family_by=["area_id"],
                                   filters=())[["area_id", "status"]].T.values))
    rows = []
    for area_id, part in data.groupby("area_id", sort=False):
        values = dict(zip(part["key"], part[value]))
        if key not in values:
            continue
        state = status.get(area_id, TOO_FEW)
        pct = percentile_rank(values, key, state)
        reason = state if state != OK else ("" if pct == pct else TOO_FEW)
        rows.append({"area_id": area_id, value: values[key], "percentile": pct, "n": len(values),
                     "te_weinig": bool(reason), "reason": reason})
    return pd.DataFrame(rows, columns=["area_id", value, "percentile", "n", "te_weinig", "reason"]).set_index("area_id")


def trend(data: NetworkData, sector: str | None = None, band: str | None = None,
          scope: str | None = None) -> pd.DataFrame:
    """Per area and round: mean and halves of the current level over the schools present in *every* round of the
    network (the cohort), for one filter, as released (``status``; nothing where the rule says no)."""
    released = released_levels(data)
    if not len(released):
        return pd.DataFrame(columns=["n", "mean", "lower", "upper", "te_weinig", "status"])
    rows = at(released, None, sector, band, cohort=True, scope=scope)
    out = rows.rename(columns={"current": "mean"}).set_index(["area_id", "round"]).sort_index()
    out["te_weinig"] = out["status"] != OK
    return out[["n", "mean", "lower", "upper", "te_weinig", "status"]]


def shared_items(data: NetworkData, round_a: str, round_b: str) -> int:
    """How many item ids both rounds have answers for (after any question-set mapping: a round answered with
    an older version has no answers for the items that are new, so this is what the two rounds can compare)."""
    if data._round_items is not None:  # (made with the frames from the whole numbers: no pass over the rows)
        return len(data._round_items.get(round_a, set()) & data._round_items.get(round_b, set()))
    a = set(data.items.loc[data.items["round"] == round_a, "item_id"].unique())
    b = set(data.items.loc[data.items["round"] == round_b, "item_id"].unique())
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


REASON_KEYS = {TOO_FEW: "net_xl_reason_too_few", WOULD_BETRAY: "net_xl_reason_would_betray"}


def _reason(status: str, halves_status: str | None = None, lang: str = "nl") -> str:
    """Why a number is not shown, in ``lang`` ("" when it is)."""
    if status != OK:
        return t(REASON_KEYS[status], lang) if status in REASON_KEYS else status
    if halves_status in (None, OK):
        return ""
    return t("net_xl_reason_halves", lang, reason=_reason(halves_status, None, lang))


COLUMN_KEYS = {"area": "net_xl_col_area", "n": "net_xl_col_n", "current": "net_xl_col_current",
               "current_lower": "net_xl_col_current_lower", "current_upper": "net_xl_col_current_upper",
               "target": "net_xl_col_target", "gap": "net_xl_col_gap", "pp_n": "net_xl_col_pp_n",
               "pp": "net_xl_col_pp", "explanation": "net_xl_col_explanation", "sector": "net_xl_col_sector",
               "band": "net_xl_col_band", "scope": "net_xl_col_scope", "item": "net_xl_col_item",
               "question": "net_xl_col_question"}
SHEET_KEYS = {"overview": "net_xl_sheet_overview", "per_group": "net_xl_sheet_per_group", "per_item": "net_xl_sheet_per_item"}


def comparison_tables(data: NetworkData, model: MaturityModel | None = None, *, round: str | None = None,
                      sector: str | None = None, band: str | None = None,
                      scope: str | None = None, lang: str = "nl") -> dict[str, pd.DataFrame]:
    """The tables that may be shared with every school of the network (headers and sheet names in ``lang``, the
    language of the screen or command that makes the export; no school names), all drawn
    from what the disclosure rule releases (:mod:`imworkbook.analysis.disclosure`): means rounded, the spread as the
    means of the lower and upper half, and a reason wherever nothing is shown.

    ``Overzicht``: per area current/desired/gap/investment per pupil for the chosen group; ``Per groep``: the
    current level per sector and size band within it; ``Per item``: current level per item.
    """
    model = model or load_model()
    names = {a.id: a.name(lang) for a in model.areas}
    round = round or (sorted(data.schools["round"].unique())[-1] if len(data.schools) else None)
    levels = at(released_levels(data, round), round, sector, band, scope=scope).set_index("area_id")
    money = at(released_money(data, round), round, sector, band, scope=scope).set_index("area_id")
    order = [a for a in names if a in levels.index]
    overview = pd.DataFrame({
        "area": [names[a] for a in order],
        "n": levels.loc[order, "n"].to_numpy(),
        "current": levels.loc[order, "current"].to_numpy(),
        "current_lower": levels.loc[order, "lower"].to_numpy(),
        "current_upper": levels.loc[order, "upper"].to_numpy(),
        "target": levels.loc[order, "target"].to_numpy(),
        "gap": levels.loc[order, "gap"].to_numpy(),
        "pp_n": money.reindex(order)["n"].fillna(0).astype(int).to_numpy(),
        "pp": money.reindex(order)["invest_per_pupil"].to_numpy(),
        "explanation": [_reason(levels.at[a, "status"], levels.at[a, "halves_status"], lang) for a in order]})

    everything = released_levels(data, round)
    groups = everything[(everything["round"] == round) & ~everything["cohort"]]
    if sector:
        groups = groups[groups["sector"] == sector]
    if band:
        groups = groups[groups["band"] == band]
    groups = groups[groups["scope"] == (scope or ALL)]
    per_group = pd.DataFrame({
        "sector": groups["sector"], "band": groups["band"], "scope": groups["scope"],
        "area": groups["area_id"].map(names), "n": groups["n"],
        "current": groups["current"], "current_lower": groups["lower"],
        "current_upper": groups["upper"],
        "explanation": [_reason(s_, h, lang) for s_, h in zip(groups["status"], groups["halves_status"])]})

    items = released_items(data, round)
    items = at(items, round, sector, band, scope=scope) if len(items) else items
    per_item = pd.DataFrame({
        "item": items.get("item_id", pd.Series(dtype=object)),
        "area": [model.area_of(i).name(lang) for i in items.get("item_id", [])],
        "question": [model.item(i).question(lang) for i in items.get("item_id", [])],
        "n": items.get("n", pd.Series(dtype=int)),
        "current": items.get("current", pd.Series(dtype=float)),
        "current_lower": items.get("lower", pd.Series(dtype=float)),
        "current_upper": items.get("upper", pd.Series(dtype=float)),
        "explanation": [_reason(s_, h, lang) for s_, h in zip(items.get("status", []), items.get("halves_status", []))]})
    frames = {"overview": overview, "per_group": per_group.reset_index(drop=True),
              "per_item": per_item.reset_index(drop=True)}
    return {t(SHEET_KEYS[name], lang): frame.rename(columns=lambda c: t(COLUMN_KEYS[c], lang))
            for name, frame in frames.items()}


SHAREABLE, FACILITATOR = "deelbaar", "begeleider"  # also in the export file names


def export_sheets(tables: dict[str, pd.DataFrame], kind: str, *, round: str, sector: str | None = None,
                  band: str | None = None, report: pd.DataFrame | None = None,
                  scope: str | None = None, lang: str = "nl") -> dict[str, pd.DataFrame]:
    """The sheets of a network export, with a first sheet that says which kind it is, in ``lang`` (the language
    of the screen or command that makes it, like :func:`comparison_tables`).

    ``SHAREABLE``: only what the disclosure rule releases; safe to send to every school of the network.
    ``FACILITATOR``: adds the validation list (school names and file names) — for the facilitator only.
    """
    group = ", ".join(x for x in (t("net_xl_group_sector", lang, sector=sector) if sector else "",
                                  t("net_xl_group_band", lang, band=band) if band else "",
                                  t("net_xl_group_scope", lang, scope=scope) if scope else "") if x)
    title = t("net_xl_title", lang, round=round) + (f" ({group})" if group else "")
    if kind == SHAREABLE:
        lines = [t("net_xl_shareable", lang), t("net_xl_shareable_rule", lang)]
    else:
        lines = [t("net_xl_facilitator", lang)]
    sheets = {t("net_xl_sheet_readme", lang): pd.DataFrame({title: lines})} | tables
    if kind == FACILITATOR:
        frame = report if report is not None else pd.DataFrame()
        sheets[t("net_xl_sheet_validation", lang)] = frame.rename(columns=lambda c: t(REPORT_HEADER_KEYS[c], lang)
                                                               if c in REPORT_HEADER_KEYS else c)
    return sheets
