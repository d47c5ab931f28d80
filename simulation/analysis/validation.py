"""Pattern-oriented validation: does the model reproduce what is known, and lose it when the cause
is removed? (brief, section 5.6; Grimm & Railsback's pattern-oriented modelling)

Each pattern is computed from run tables with an interval over replications and compared with what
the evidence leads one to expect. No rule of the model refers to these patterns; if one fails with
the default parameters, the assumed parameters are recalibrated (docs/ODD.md, Calibration).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from simulation.analysis.effects import t_interval

#: the design points of the bottleneck experiment
POINTS = ("default", "large_networks_only", "full_consent_only", "high_tolerance_only", "all_removed")


@dataclass(frozen=True)
class Result:
    key: str
    pattern: str
    source: str
    expected: str
    simulated: float
    ci_low: float
    ci_high: float
    passed: bool
    low: float | None = None  # the expected band, for the figure
    high: float | None = None
    weeks: int = 0  # for patterns whose words name a number of weeks


def values(runs: pd.DataFrame, point: str, strategy: str, outcome: str) -> pd.Series:
    """One value per replication, indexed by replication."""
    rows = runs[(runs["point"] == point) & (runs["strategy"] == strategy)]
    return rows.set_index("replication")[outcome].sort_index()


def _share(runs: pd.DataFrame, point: str, strategy: str, outcome: str) -> tuple[float, float, float]:
    return t_interval(values(runs, point, strategy, outcome).to_numpy())


def _gap(runs: pd.DataFrame, point: str, outcome: str = "has_support_group") -> pd.Series:
    """Flexible minus strict, per replication (paired; a replication missing either is dropped)."""
    return (values(runs, point, "flexible", outcome) - values(runs, point, "resource", outcome)).dropna()


def _ratio_interval(
    num: pd.Series, den: pd.Series, seed: int = 0, n_boot: int = 2000
) -> tuple[float, float, float]:
    """Ratio of means with a paired percentile bootstrap over the replications both have."""
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
    "strict_rarely_formal": {
        "en": (
            "strict method: most clients end without a formal group",
            "below 50% have a formal group at the end",
        ),
        "nl": (
            "strikte methode: de meeste cliënten eindigen zonder formele groep",
            "minder dan 50% heeft aan het eind een formele groep",
        ),
    },
    "too_few_ties": {
        "en": (
            "strict method: networks too small for a group (too_few_ties)",
            "a real share: at least 5% of clients",
        ),
        "nl": (
            "strikte methode: netwerk te klein voor een groep (too_few_ties)",
            "een echt aandeel: minstens 5% van de cliënten",
        ),
    },
    "no_consent": {
        "en": (
            "strict method: clients refuse contact with naasten (no_consent)",
            "a real share: at least 5% of clients",
        ),
        "nl": (
            "strikte methode: cliënten weigeren contact met naasten (no_consent)",
            "een echt aandeel: minstens 5% van de cliënten",
        ),
    },
    "dropped_out": {
        "en": (
            "strict method: the stramien does not fit (dropped_out)",
            "a real share: at least 5% of clients",
        ),
        "nl": (
            "strikte methode: het stramien past niet (dropped_out)",
            "een echt aandeel: minstens 5% van de cliënten",
        ),
    },
    "flexible_more_groups": {
        "en": (
            "flexible support gives more clients a support group (paired difference)",
            "flexible - strict above 0 (whole interval)",
        ),
        "nl": (
            "flexibele steun geeft meer cliënten een steungroep (gepaard verschil)",
            "flexibel - strikt boven 0 (heel het interval)",
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
    "removed_all": {
        "en": (
            "all three causes removed: the flexible-strict gap shrinks by at least half",
            "gap without the bottlenecks / default gap at most 0.5",
        ),
        "nl": (
            "alle drie de oorzaken weg: het verschil flexibel-strikt minstens gehalveerd",
            "verschil zonder knelpunten / standaardverschil hoogstens 0,5",
        ),
    },
    "funnel_willing": {
        "en": ("uptake funnel: willing to involve naasten", "about 60% (45-75%)"),
        "nl": ("trechter: bereid naasten te betrekken", "ongeveer 60% (45-75%)"),
    },
    "funnel_formed": {
        "en": ("uptake funnel: formal group formed", "about 27% (15-40%)"),
        "nl": ("trechter: formele groep gestart", "ongeveer 27% (15-40%)"),
    },
    "funnel_ratio": {
        "en": ("uptake funnel: formed among the willing (formed / willing)", "about 0.45 (0.25-0.65)"),
        "nl": ("trechter: gestart onder de bereiden (gestart / bereid)", "ongeveer 0,45 (0,25-0,65)"),
    },
    "housed_after_entry": {
        "en": ("care as usual: housed after {weeks} weeks", "about two thirds (68.5%; 60-75%)"),
        "nl": ("gebruikelijke zorg: gehuisvest na {weeks} weken", "ongeveer twee derde (68,5%; 60-75%)"),
    },
    "transition_support": {
        "en": (
            "after {weeks} weeks network support raises perceived support",
            "difference above 0 (whole interval)",
        ),
        "nl": (
            "na {weeks} weken verhoogt netwerkondersteuning de ervaren steun",
            "verschil boven 0 (heel het interval)",
        ),
    },
    "transition_housing": {
        "en": (
            "after {weeks} weeks the effect on being housed is still small",
            "difference within +-10 points",
        ),
        "nl": ("na {weeks} weken is het effect op huisvesting nog klein", "verschil binnen +-10 procentpunt"),
    },
}


def pattern_words(key: str, lang: str = "en", **fmt: object) -> tuple[str, str]:
    """(pattern, expected) of a pattern, in English or Dutch."""
    if lang not in ("en", "nl"):
        raise ValueError(f"unknown language {lang!r}; choose en or nl")
    pattern, expected = PATTERN_TEXT[key][lang]
    return pattern.format(**fmt), expected.format(**fmt)


def in_band(
    key: str,
    source: str,
    estimate: tuple[float, float, float],
    low: float | None,
    high: float | None,
    on_interval: bool = False,
    **fmt: object,
) -> Result:
    """Pass when the estimate (or, with `on_interval`, its whole interval) lies in [low, high]."""
    mean, ci_low, ci_high = estimate
    lo = ci_low if on_interval else mean
    hi = ci_high if on_interval else mean
    ok = (low is None or lo >= low) and (high is None or hi <= high)
    pattern, expected = pattern_words(key, "en", **fmt)
    return Result(
        key,
        pattern,
        source,
        expected,
        mean,
        ci_low,
        ci_high,
        bool(ok),
        low,
        high,
        weeks=int(fmt.get("weeks", 0)),
    )


def bottleneck_patterns(runs: pd.DataFrame) -> list[Result]:
    """Patterns of the strict method on the default scenario and with each cause removed.

    `runs`: one row per run with columns point (one of POINTS), strategy, replication and outcomes.
    """

    def strict_share(outcome: str) -> tuple[float, float, float]:
        return _share(runs, "default", "resource", outcome)

    out = [
        in_band("strict_rarely_formal", "snf2023", strict_share("formal_group"), None, 0.5, on_interval=True),
        in_band(
            "too_few_ties", "snf2023", strict_share("no_group_too_few_ties"), 0.05, None, on_interval=True
        ),
        in_band("no_consent", "snf2023", strict_share("no_group_no_consent"), 0.05, None, on_interval=True),
        in_band("dropped_out", "snf2023", strict_share("no_group_dropped_out"), 0.05, None, on_interval=True),
        in_band(
            "flexible_more_groups", "snf2023", t_interval(_gap(runs, "default")), 0.0, None, on_interval=True
        ),
    ]
    for key, point, reason in (
        ("removed_networks", "large_networks_only", "no_group_too_few_ties"),
        ("removed_consent", "full_consent_only", "no_group_no_consent"),
        ("removed_tolerance", "high_tolerance_only", "no_group_dropped_out"),
    ):
        base = values(runs, "default", "resource", reason)
        removed = values(runs, point, "resource", reason)
        out.append(in_band(key, "snf2023", _ratio_interval(removed, base), None, 0.5))
    out.append(
        in_band(
            "removed_all",
            "snf2023",
            _ratio_interval(_gap(runs, "all_removed"), _gap(runs, "default")),
            None,
            0.5,
        )
    )
    willing = values(runs, "default", "resource", "willing")
    formed = values(runs, "default", "resource", "formal_group_formed")
    out += [
        in_band("funnel_willing", "dijkstra2017", t_interval(willing.to_numpy()), 0.45, 0.75),
        in_band("funnel_formed", "dijkstra2017", t_interval(formed.to_numpy()), 0.15, 0.40),
        in_band("funnel_ratio", "dijkstra2017", _ratio_interval(formed, willing), 0.25, 0.65),
    ]
    return out


def housing_pattern(runs: pd.DataFrame, weeks: int) -> Result:
    """About two thirds housed 2.5 years (130 weeks) after shelter entry under care as usual."""
    housed = runs[runs["strategy"] == "care_as_usual"]["housed"].to_numpy()
    return in_band("housed_after_entry", "vanstraaten2016", t_interval(housed), 0.60, 0.75, weeks=weeks)


def transition_pattern(runs: pd.DataFrame, weeks: int) -> list[Result]:
    """Network support raises support early without much effect on housing yet (CTI, 9 months)."""

    def diff(outcome: str) -> np.ndarray:
        a = runs[runs["strategy"] == "flexible"].set_index("replication")[outcome].sort_index()
        b = runs[runs["strategy"] == "care_as_usual"].set_index("replication")[outcome].sort_index()
        return (a - b).to_numpy()

    return [
        in_band(
            "transition_support",
            "devet2017",
            t_interval(diff("perceived_support")),
            0.0,
            None,
            on_interval=True,
            weeks=weeks,
        ),
        in_band("transition_housing", "devet2017", t_interval(diff("housed")), -0.10, 0.10, weeks=weeks),
    ]


def results_table(results: list[Result]) -> pd.DataFrame:
    return pd.DataFrame([r.__dict__ for r in results])
