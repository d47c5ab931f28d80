"""Validation on held-out evidence: targets the calibration did not see, and the seed study's
patterns, each checked against the model's runs (brief, section 8; Grimm & Railsback's
pattern-oriented modelling).

Input is a run table with one row per design point x parameter draw x replication (see
`simulation/calibration/validation_runs.py`): `target.KEY` columns at the default point, and
`strategy.outcome` columns at every point. Two kinds of check:

* **targets** (`calibration/targets.yaml`): the simulated value's posterior-predictive interval
  (the central 95% of the runs, over draws x replications) against the target's band
  (value +- 2 sd, the sd combining the source's uncertainty and the stated discrepancy). A target
  *falls outside* when the two do not overlap. Targets marked `calibrate` were fitted: their rows
  say how well (`fit`) and never count as validation;
* **patterns** (qualitative, from a source): the mean over the runs with its 95% interval, against
  an expected band; a claim of direction ("a real share", "above 0") needs the whole interval on
  its side, a claim of size needs the mean in the band.

Nothing here refers to a particular model variant: each pattern names its source.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from simulation.analysis.effects import t_interval

HELD_OUT, FIT, PATTERN = "held_out", "fit", "pattern"
#: what each role means, for tables and the figure
ROLE_WORDS = {
    HELD_OUT: {"en": "held out", "nl": "achtergehouden"},
    FIT: {"en": "fit (calibrated)", "nl": "fit (gekalibreerd)"},
    PATTERN: {"en": "pattern", "nl": "patroon"},
}


@dataclass(frozen=True)
class TargetBand:
    """What a check needs of a target (the analysis layer does not read the targets file)."""

    key: str
    description: str
    value: float
    low: float
    high: float
    source: str
    use: str  # calibrate | validate


@dataclass(frozen=True)
class Result:
    key: str
    kind: str  # target | pattern
    role: str  # held_out | fit | pattern
    pattern: str
    source: str
    expected: str
    simulated: float
    ci_low: float
    ci_high: float
    passed: bool
    low: float | None = None  # the expected band
    high: float | None = None
    runs: int = 0


def _runs(table: pd.DataFrame, point: str = "default") -> pd.DataFrame:
    """The rows of one design point, indexed by (draw, replication) for pairing."""
    rows = table[table["point"] == point]
    return rows.set_index(["draw", "replication"]).sort_index()


def predictive_interval(values: np.ndarray, level: float = 0.95) -> tuple[float, float, float]:
    """Mean and the central `level` of the runs' values (NaN dropped)."""
    values = np.asarray(values, dtype=float)
    values = values[~np.isnan(values)]
    if len(values) == 0:
        return np.nan, np.nan, np.nan
    lo, hi = np.quantile(values, [(1 - level) / 2, 1 - (1 - level) / 2])
    return float(values.mean()), float(lo), float(hi)


def target_checks(table: pd.DataFrame, targets: Sequence[TargetBand]) -> list[Result]:
    """Each target's simulated value, posterior-predictive interval and whether it overlaps the band."""
    runs = _runs(table)
    out = []
    for t in targets:
        column = f"target.{t.key}"
        values = runs[column].to_numpy(dtype=float) if column in runs else np.array([])
        mean, lo, hi = predictive_interval(values)
        ok = bool(np.isfinite(mean) and hi >= t.low and lo <= t.high)
        role = FIT if t.use == "calibrate" else HELD_OUT
        out.append(
            Result(
                key=t.key,
                kind="target",
                role=role,
                pattern=t.description,
                source=t.source,
                expected=f"{t.value:.3g} (band {t.low:.3g} to {t.high:.3g})",
                simulated=mean,
                ci_low=lo,
                ci_high=hi,
                passed=ok,
                low=t.low,
                high=t.high,
                runs=int(np.count_nonzero(~np.isnan(values))),
            )
        )
    return out


# --- patterns -----------------------------------------------------------------------------------


def _ratio_interval(
    num: pd.Series, den: pd.Series, seed: int = 0, n_boot: int = 2000
) -> tuple[float, float, float]:
    """Ratio of means with a paired percentile bootstrap over the (draw, replication) pairs both have."""
    pairs = pd.concat([num, den], axis=1, join="inner").dropna().to_numpy()
    if len(pairs) == 0:
        return np.nan, np.nan, np.nan
    a, b = pairs[:, 0], pairs[:, 1]
    rng = np.random.default_rng(seed)
    idx = rng.integers(0, len(a), (n_boot, len(a)))
    with np.errstate(divide="ignore", invalid="ignore"):
        boot = a[idx].mean(axis=1) / b[idx].mean(axis=1)
    boot = boot[np.isfinite(boot)]
    ratio = a.mean() / b.mean() if b.mean() != 0 else np.nan
    low, high = np.quantile(boot, [0.025, 0.975]) if len(boot) else (np.nan, np.nan)
    return float(ratio), float(low), float(high)


#: each pattern's words: key -> language -> (pattern, expected)
PATTERN_TEXT: dict[str, dict[str, tuple[str, str]]] = {
    "too_few_ties": {
        "en": (
            "strict method: no formal group because the network is too small (per arrival)",
            "a real share: at least 5% of arrivals (whole interval)",
        ),
        "nl": (
            "strikte methode: geen formele groep omdat het netwerk te klein is (per instromer)",
            "een echt aandeel: minstens 5% van de instromers (heel het interval)",
        ),
    },
    "no_consent": {
        "en": (
            "strict method: no formal group because the client refuses contact with naasten (per arrival)",
            "a real share: at least 5% of arrivals (whole interval)",
        ),
        "nl": (
            "strikte methode: geen formele groep omdat de cliënt contact met naasten weigert (per instromer)",
            "een echt aandeel: minstens 5% van de instromers (heel het interval)",
        ),
    },
    "dropped_out": {
        "en": (
            "strict method: no formal group because the stramien does not fit (dropped out; per arrival)",
            "a real share: at least 5% of arrivals (whole interval)",
        ),
        "nl": (
            "strikte methode: geen formele groep omdat het stramien niet past (uitgevallen; per instromer)",
            "een echt aandeel: minstens 5% van de instromers (heel het interval)",
        ),
    },
    "flexible_more_groups": {
        "en": (
            "flexible support gives more arrivals a support group 26 weeks after arriving "
            "(flexible - strict)",
            "above 0 (whole interval)",
        ),
        "nl": (
            "flexibele steun geeft meer instromers een steungroep 26 weken na instroom (flexibel - strikt)",
            "boven 0 (heel het interval)",
        ),
    },
    "removed_networks": {
        "en": (
            "cause removed - large networks: 'too few ties' shrinks by at least half",
            "share with the cause removed / default share at most 0.5",
        ),
        "nl": (
            "oorzaak weg - grote netwerken: 'te weinig banden' minstens gehalveerd",
            "aandeel zonder de oorzaak / standaardaandeel hoogstens 0,5",
        ),
    },
    "removed_consent": {
        "en": (
            "cause removed - full consent: 'no consent' shrinks by at least half",
            "share with the cause removed / default share at most 0.5",
        ),
        "nl": (
            "oorzaak weg - volledige toestemming: 'geen toestemming' minstens gehalveerd",
            "aandeel zonder de oorzaak / standaardaandeel hoogstens 0,5",
        ),
    },
    "removed_tolerance": {
        "en": (
            "cause removed - high tolerance: 'dropped out' shrinks by at least half",
            "share with the cause removed / default share at most 0.5",
        ),
        "nl": (
            "oorzaak weg - hoge tolerantie: 'uitgevallen' minstens gehalveerd",
            "aandeel zonder de oorzaak / standaardaandeel hoogstens 0,5",
        ),
    },
    "removed_all_starts": {
        "en": (
            "all three causes removed: the strict method starts a formal group for at least twice as "
            "many arrivals",
            "formal groups formed without the causes / default at least 2",
        ),
        "nl": (
            "alle drie de oorzaken weg: de strikte methode start een formele groep voor minstens twee "
            "keer zoveel instromers",
            "formele groepen zonder de oorzaken / standaard minstens 2",
        ),
    },
    "support_gain_after_group": {
        "en": (
            "perceived support rises once a formal group has met: the same clients 13 weeks after "
            "the first meeting minus the week before",
            "a gain of about 0.17 on 0-1 (5.04 -> 6.73 on 0-10): mean in 0.05-0.29",
        ),
        "nl": (
            "ervaren steun stijgt zodra een formele groep bijeen is geweest: dezelfde cliënten 13 weken "
            "na de eerste bijeenkomst min de week ervoor",
            "een stijging van ongeveer 0,17 op 0-1 (5,04 -> 6,73 op 0-10): gemiddelde in 0,05-0,29",
        ),
    },
    "empowerment_not_above_trial": {
        "en": (
            "eigen regie gain of flexible support over care as usual (Cohen's d, clients in the shelter) "
            "no larger than the resource-group trial allows",
            "at most 1.06 (d = 0.54, 95% interval 0.21-0.86, widened by the target's discrepancy)",
        ),
        "nl": (
            "winst in eigen regie van flexibele steun boven gebruikelijke zorg (Cohens d, cliënten in de "
            "opvang) niet groter dan het onderzoek naar resourcegroepen toelaat",
            "hoogstens 1,06 (d = 0,54, 95%-interval 0,21-0,86, verbreed met de discrepantie van het doel)",
        ),
    },
    "networks_stay_small": {
        "en": (
            "informal networks stay small: active ties per client in the shelter, the largest over "
            "the strategies",
            "at most 5 (twice the about 2.5 close friends of unsheltered people)",
        ),
        "nl": (
            "informele netwerken blijven klein: actieve banden per cliënt in de opvang, de grootste "
            "over de strategieën",
            "hoogstens 5 (twee keer de ongeveer 2,5 goede vrienden van daklozen op straat)",
        ),
    },
}
#: each pattern's source (simulation/model/evidence.py)
PATTERN_SOURCE: dict[str, str] = {
    "too_few_ties": "snf2023",
    "no_consent": "snf2023",
    "dropped_out": "snf2023",
    "flexible_more_groups": "snf2023",
    "removed_networks": "snf2023",
    "removed_consent": "snf2023",
    "removed_tolerance": "snf2023",
    "removed_all_starts": "snf2023",
    "support_gain_after_group": "dejong2016",
    "empowerment_not_above_trial": "tjaden2021",
    "networks_stay_small": "kingcounty2024",
}
#: the bands of the patterns of size (see PATTERN_TEXT)
REAL_SHARE = 0.05
SHRINKS = 0.5
STARTS = 2.0
SUPPORT_GAIN_BAND = (0.05, 0.29)  # the band of the target support_gain_conference (dejong2016)
EMPOWERMENT_UPPER = 1.06  # 0.54 + 2 sd of the target empowerment_resource_group (tjaden2021)
CLOSE_FRIENDS = 2.5  # kingcounty2024


def pattern_words(key: str, lang: str = "en") -> tuple[str, str]:
    """(pattern, expected) of a pattern, in English or Dutch."""
    if lang not in ("en", "nl"):
        raise ValueError(f"unknown language {lang!r}; choose en or nl")
    return PATTERN_TEXT[key][lang]


def in_band(
    key: str,
    estimate: tuple[float, float, float],
    low: float | None,
    high: float | None,
    on_interval: bool = False,
    runs: int = 0,
) -> Result:
    """Pass when the mean (or, with `on_interval`, its whole interval) lies in [low, high]."""
    mean, ci_low, ci_high = estimate
    lo = ci_low if on_interval else mean
    hi = ci_high if on_interval else mean
    ok = (
        bool(np.isfinite(lo) and np.isfinite(hi))
        and (low is None or lo >= low)
        and (high is None or hi <= high)
    )
    pattern, expected = pattern_words(key)
    return Result(
        key=key,
        kind="pattern",
        role=PATTERN,
        pattern=pattern,
        source=PATTERN_SOURCE[key],
        expected=expected,
        simulated=mean,
        ci_low=ci_low,
        ci_high=ci_high,
        passed=bool(ok),
        low=low,
        high=high,
        runs=runs,
    )


def pattern_checks(table: pd.DataFrame) -> list[Result]:
    """The seed study's patterns and the source-tied patterns, from the run table."""
    default = _runs(table)
    n = len(default)

    def col(point: str, column: str) -> pd.Series:
        rows = _runs(table, point)
        return rows[column] if column in rows else pd.Series(dtype=float)

    def share(column: str) -> tuple[float, float, float]:
        return t_interval(default[column].to_numpy(dtype=float))

    def gap(point: str) -> pd.Series:
        return (col(point, "flexible.group_26w") - col(point, "resource.group_26w")).dropna()

    out = [
        in_band("too_few_ties", share("resource.no_group_too_few_ties"), REAL_SHARE, None, True, n),
        in_band("no_consent", share("resource.no_group_no_consent"), REAL_SHARE, None, True, n),
        in_band("dropped_out", share("resource.no_group_dropped_out"), REAL_SHARE, None, True, n),
        in_band("flexible_more_groups", t_interval(gap("default").to_numpy()), 0.0, None, True, n),
    ]
    for key, point, reason in (
        ("removed_networks", "large_networks_only", "resource.no_group_too_few_ties"),
        ("removed_consent", "full_consent_only", "resource.no_group_no_consent"),
        ("removed_tolerance", "high_tolerance_only", "resource.no_group_dropped_out"),
    ):
        ratio = _ratio_interval(col(point, reason), col("default", reason))
        out.append(in_band(key, ratio, None, SHRINKS, runs=len(_runs(table, point))))
    out.append(
        in_band(
            "removed_all_starts",
            _ratio_interval(
                col("all_removed", "resource.formal_group_formed"),
                col("default", "resource.formal_group_formed"),
            ),
            STARTS,
            None,
            runs=len(_runs(table, "all_removed")),
        )
    )
    out.append(
        in_band(
            "support_gain_after_group", share("resource.support_gain_after_group"), *SUPPORT_GAIN_BAND, runs=n
        )
    )
    out.append(
        in_band(
            "empowerment_not_above_trial", share("flexible.eigen_regie_d"), None, EMPOWERMENT_UPPER, runs=n
        )
    )
    ties = [c for c in default.columns if c.endswith(".active_ties")]
    largest = max((share(c) for c in ties), key=lambda e: e[0], default=(np.nan, np.nan, np.nan))
    out.append(in_band("networks_stay_small", largest, None, 2 * CLOSE_FRIENDS, runs=n))
    return out


def results_table(results: list[Result]) -> pd.DataFrame:
    return pd.DataFrame([r.__dict__ for r in results])


def validation_passed(table: pd.DataFrame) -> bool:
    """Validation passes when every held-out target and every pattern passes (fit rows never count)."""
    counted = table[table["role"] != FIT]
    return bool(counted["passed"].all())


def failed_checks(table: pd.DataFrame) -> list[str]:
    """Keys of the held-out targets and patterns that failed."""
    counted = table[(table["role"] != FIT) & ~table["passed"].astype(bool)]
    return counted["key"].tolist()
