"""Empirical targets as data: `calibration/targets.yaml`, checked against a schema.

A target is a number from a source (brief, section 8) with its uncertainty, the population it came
from and how the model measures it. Targets marked `calibrate` are fitted by `snf calibrate`; those
marked `validate` are held out, so that a check against them is not a check of the fit itself.

The model measures a target with an outcome of `simulation/model/outcomes.py` or one of the few
measures below (shares the outcome registry does not have), on the run of one strategy, or as the
paired difference of two strategies' runs on the same seed (`versus`).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from simulation.model.evidence import SOURCES
from simulation.model.outcomes import OUTCOMES, measured_arrivals
from simulation.model.parameters import describe_validation_error
from simulation.model.state import (
    HOUSED_LOCATIONS,
    IN_SIGHT_LOCATIONS,
    SNAPSHOT_AGES,
    STABLY_HOUSED_LOCATIONS,
    ExitRoute,
    Location,
)

if TYPE_CHECKING:
    from simulation.model.model import NetworkSupportModel

#: the project's targets file
TARGETS_FILE = Path(__file__).resolve().parent.parent.parent / "calibration" / "targets.yaml"
Z = {0.9: 1.645, 0.95: 1.960}


# --- measures the outcome registry does not have ----------------------------------------------


def _share(mask: np.ndarray) -> float:
    return float(np.count_nonzero(mask) / len(mask)) if len(mask) else float("nan")


def exit_share_home(m: NetworkSupportModel) -> float:
    """Share of exits into a home: through the housing market or found through the network."""
    total = OUTCOMES["exits_per_year"](m)
    homes = sum(
        OUTCOMES[f"exits_{r.name.lower()}_per_year"](m)
        for r in (ExitRoute.HOUSING_MARKET, ExitRoute.NETWORK_HOME)
    )
    return homes / total if total else float("nan")


def _in_sight(locations: np.ndarray) -> np.ndarray:
    """Where a follow-up study can still find someone: anywhere but out of sight. Cohort studies
    count their shares among those they re-interviewed (CODA-G4: 324 of 513; CODA Amsterdam: 72
    of 172), and those lost to follow-up are mostly the ones out of sight."""
    return np.isin(locations, [int(loc) for loc in IN_SIGHT_LOCATIONS])


def stably_housed_130w_in_sight(m: NetworkSupportModel) -> float:
    """In a home or supported housing 130 weeks after arrival, among arrivals followed that long
    who are in sight then (as a cohort study that re-interviews them counts it)."""
    at = measured_arrivals(m)[f"location_at_{SNAPSHOT_AGES[-1]}w"].to_numpy()
    seen = at[(at >= 0) & _in_sight(at)]
    return _share(np.isin(seen, [int(x) for x in STABLY_HOUSED_LOCATIONS]))


def _end_of_follow_up(m: NetworkSupportModel, where: tuple[Location, ...]) -> float:
    """Share now in one of `where`, among arrivals who arrived at least 130 weeks ago (the longest
    the model follows) and are in sight now."""
    a = measured_arrivals(m)
    old = (m.week - a["arrival_week"].to_numpy()) >= SNAPSHOT_AGES[-1]
    names = a["location"].to_numpy()
    seen = old & np.isin(names, [loc.name.lower() for loc in IN_SIGHT_LOCATIONS])
    return _share(np.isin(names, [loc.name.lower() for loc in where])[seen])


def housed_end_of_follow_up(m: NetworkSupportModel) -> float:
    """In a home or supported housing at the end of follow-up (the cohort studies' stably housed)."""
    return _end_of_follow_up(m, STABLY_HOUSED_LOCATIONS)


def own_home_end_of_follow_up(m: NetworkSupportModel) -> float:
    """In a home of one's own at the end of follow-up (independent housing: supported housing and
    care do not count)."""
    return _end_of_follow_up(m, HOUSED_LOCATIONS)


def kept_home(m: NetworkSupportModel) -> float:
    """Never lost a home again, among arrivals who were housed."""
    a = measured_arrivals(m)
    housed = a["week_housed"].to_numpy() >= 0
    return _share(a["relapses"].to_numpy()[housed] == 0)


def said_no_when_asked(m: NetworkSupportModel) -> float:
    """Said no to contact with every nominated naaste, among arrivals who were asked."""
    willing = measured_arrivals(m)["willing"].to_numpy()
    asked = willing != "not_asked"
    return _share(willing[asked] == "no")


def stay_breakdown_share(m: NetworkSupportModel) -> float:
    """Stays with naasten that broke down, per stay begun (both per year over the measured weeks)."""
    stays = OUTCOMES["exits_naaste_stay_per_year"](m)
    return OUTCOMES["stays_broken_per_year"](m) / stays if stays else float("nan")


def eigen_regie_d(m: NetworkSupportModel, versus: NetworkSupportModel) -> float:
    """Standardised difference in eigen regie of the shelter's clients (Cohen's d, pooled sd)."""
    a = m.clients.eigen_regie[m.clients.location == Location.SHELTER]
    b = versus.clients.eigen_regie[versus.clients.location == Location.SHELTER]
    if len(a) < 2 or len(b) < 2:
        return float("nan")
    pooled = math.sqrt((a.var(ddof=1) + b.var(ddof=1)) / 2)
    return float((a.mean() - b.mean()) / pooled) if pooled > 0 else float("nan")


class RecruitedStudy:
    """Boesveldt's Utrecht study (boesveldt2024) as it recruited: of its 70 participants 50 were in
    the shelter or supported housing and expected to move to a home of their own within eight
    months, and 20 were in the night shelter after an earlier episode of homelessness. Each was
    followed for years; the study reports the share in a home of their own at the end.

    Watching a run week by week (changing nothing), it recruits in the first `window` measured
    weeks: (a) clients in the shelter or in care whom the housing market would house within
    `soon_weeks` at its supply and in its order (the front of the queue), and (b) other clients in
    the shelter who came back at least once. Each is recruited once and followed `follow_weeks`;
    the value is the share in a home of their own (market or network) at the end, among those then
    in sight, the two groups weighted as the study's 50 and 20."""

    WEIGHTS = (50.0, 20.0)

    def __init__(self, window: int = 26, follow_weeks: int = SNAPSHOT_AGES[-1], soon_weeks: int = 35) -> None:
        self.window = window
        self.follow_weeks = follow_weeks
        self.soon_weeks = soon_weeks
        self.due: dict[int, tuple[int, int]] = {}  # uid -> (week followed to, group)
        self.ends: list[list[bool]] = [[], []]  # per group: in a home of their own at the end (in sight)

    def watch(self, model: NetworkSupportModel) -> None:
        c = model.clients
        start = model.shelter.warmup
        if start < model.week <= start + self.window:
            loc = c.location
            placed = (loc == Location.SHELTER) | (loc == Location.CARE)
            soon = int(model.params.housing.homes_per_week * self.soon_weeks)
            front = model.market.queue()[:soon]
            groups = (front[placed[front]], np.flatnonzero((loc == Location.SHELTER) & (c.returns > 0)))
            for group, rows in enumerate(groups):
                for uid in c.uid[rows].tolist():
                    self.due.setdefault(uid, (model.week + self.follow_weeks, group))
        ending = {u: g for u, (week, g) in self.due.items() if week == model.week}
        if ending:
            where = dict(zip(c.uid.tolist(), c.location.tolist(), strict=True))
            for uid, group in ending.items():
                place = where.get(uid)
                if place is not None and place != Location.AWAY:
                    self.ends[group].append(place in HOUSED_LOCATIONS)

    def value(self) -> float:
        shares = [(w, np.mean(e)) for w, e in zip(self.WEIGHTS, self.ends, strict=True) if e]
        return float(sum(w * x for w, x in shares) / sum(w for w, _ in shares)) if shares else float("nan")


#: measures that need a run watched week by week (`RecruitedStudy.watch`), by name
WATCHED: dict[str, Callable[[], RecruitedStudy]] = {
    "own_home_recruited_as_boesveldt": RecruitedStudy,
}


MEASURES: dict[str, Callable[[NetworkSupportModel], float]] = {
    "exit_share_home": exit_share_home,
    "own_home_end_of_follow_up": own_home_end_of_follow_up,
    "stably_housed_130w_in_sight": stably_housed_130w_in_sight,
    "housed_end_of_follow_up": housed_end_of_follow_up,
    "kept_home": kept_home,
    "said_no_when_asked": said_no_when_asked,
    "stay_breakdown_share": stay_breakdown_share,
}
CONTRASTS: dict[str, Callable[[NetworkSupportModel, NetworkSupportModel], float]] = {
    "eigen_regie_d": eigen_regie_d,
}


def measure_names() -> list[str]:
    return sorted({*OUTCOMES, *MEASURES, *CONTRASTS, *WATCHED})


# --- the schema --------------------------------------------------------------------------------


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Uncertainty(Strict):
    """One of a sample size, an interval or a stated band; plus a discrepancy for what they miss."""

    n: int | None = Field(None, gt=0, description="sample size behind a share")
    interval: tuple[float, float] | None = Field(None, description="[low, high] from the source")
    level: float = Field(0.95, description="level of the interval: 0.9 or 0.95")
    band: tuple[float, float] | None = Field(
        None, description="[low, high] stated where no interval is given"
    )
    discrepancy: float = Field(0.0, ge=0, description="extra sd: definition or population differs")

    @model_validator(mode="after")
    def _one_kind(self) -> Uncertainty:
        given = [k for k in ("n", "interval", "band") if getattr(self, k) is not None]
        if len(given) != 1:
            raise ValueError(f"give exactly one of n, interval or band (got {', '.join(given) or 'none'})")
        for k in ("interval", "band"):
            pair = getattr(self, k)
            if pair is not None and pair[0] >= pair[1]:
                raise ValueError(f"{k} [{pair[0]}, {pair[1]}]: low must be below high")
        if self.level not in Z:
            raise ValueError(f"level {self.level}: must be one of {sorted(Z)}")
        return self


class Measure(Strict):
    """How the model measures a target: which run, which outcome, for whom, when."""

    strategy: str
    outcome: str
    versus: str | None = Field(None, description="measure the paired difference with this strategy's run")
    among: str = Field(description="for whom, in words")
    weeks_after_arrival: int | None = Field(None, ge=0)

    @field_validator("outcome")
    @classmethod
    def _known(cls, value: str) -> str:
        if value not in measure_names():
            own = sorted({*MEASURES, *WATCHED})
            raise ValueError(f"unknown outcome {value!r}; use an outcome of `snf` or one of {own}")
        return value

    @model_validator(mode="after")
    def _contrast_has_versus(self) -> Measure:
        if self.outcome in CONTRASTS and self.versus is None:
            raise ValueError(f"{self.outcome} compares two runs: give `versus`")
        if self.outcome in WATCHED and self.versus is not None:
            raise ValueError(f"{self.outcome} is measured on one watched run: drop `versus`")
        return self


class Target(Strict):
    key: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    description: str
    value: float
    uncertainty: Uncertainty
    population: str
    source: str
    citation: str | None = None
    note: str = ""
    measure: Measure
    use: Literal["calibrate", "validate"]

    @model_validator(mode="after")
    def _source_known(self) -> Target:
        if self.source not in SOURCES and not self.citation:
            raise ValueError(
                f"source {self.source!r} is not in simulation/model/evidence.py: "
                "add it there or give `citation`"
            )
        return self

    @property
    def sd(self) -> float:
        """The target's scale in the distance: the source's sd and the discrepancy, combined."""
        u = self.uncertainty
        if u.n is not None:
            p = min(max(self.value, 0.0), 1.0)
            source = math.sqrt(p * (1 - p) / u.n)
        elif u.interval is not None:
            source = (u.interval[1] - u.interval[0]) / (2 * Z[u.level])
        else:
            assert u.band is not None
            source = (u.band[1] - u.band[0]) / 4
        return math.sqrt(source**2 + u.discrepancy**2)

    @property
    def bounds(self) -> tuple[float, float]:
        """value +- 2 sd: the band a simulated value should fall in."""
        return self.value - 2 * self.sd, self.value + 2 * self.sd


class TargetSet(Strict):
    weeks: int = Field(
        156, ge=131, description="weeks measured after the warm-up (arrivals followed 130 weeks)"
    )
    targets: list[Target]

    @model_validator(mode="after")
    def _checks(self) -> TargetSet:
        keys = [t.key for t in self.targets]
        doubles = sorted({k for k in keys if keys.count(k) > 1})
        if doubles:
            raise ValueError(f"target keys must be unique: {', '.join(doubles)}")
        held = sum(t.use == "validate" for t in self.targets)
        if not self.calibrate:
            raise ValueError("no target is marked `use: calibrate`")
        if held * 3 < len(self.targets):
            raise ValueError(f"hold out at least a third for validation: {held} of {len(self.targets)}")
        return self

    @property
    def calibrate(self) -> list[Target]:
        return [t for t in self.targets if t.use == "calibrate"]

    @property
    def validate(self) -> list[Target]:
        return [t for t in self.targets if t.use == "validate"]

    def by_key(self, key: str) -> Target:
        for t in self.targets:
            if t.key == key:
                return t
        raise KeyError(f"no target {key!r}; targets: {', '.join(t.key for t in self.targets)}")


class TargetsError(ValueError):
    """A targets file that cannot be used; the message names the file, the target and the problem."""


def load_targets(path: Path | str = TARGETS_FILE) -> TargetSet:
    """Read and check a targets file, or raise `TargetsError` with one line per problem."""
    path = Path(path)
    if not path.is_file():
        raise TargetsError(f"{path}: file not found")
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as e:
        raise TargetsError(f"{path}: not valid YAML ({e})") from None
    return parse_targets(data, str(path))


def parse_targets(data: object, where: str = "targets") -> TargetSet:
    try:
        return TargetSet.model_validate(data)
    except ValidationError as e:
        problems = []
        for line in describe_validation_error(e, TargetSet):
            key, _, rest = line.partition(" ")
            parts = key.split(".")
            if len(parts) > 1 and parts[0] == "targets" and parts[1].isdigit() and isinstance(data, dict):
                i = int(parts[1])
                try:
                    name = data["targets"][i].get("key", f"#{i + 1}")  # type: ignore[index]
                except (KeyError, IndexError, AttributeError, TypeError):
                    name = f"#{i + 1}"
                key = ".".join([f"targets[{name}]", *parts[2:]])
            problems.append(f"{where}: {key} {rest}".rstrip())
        raise TargetsError("\n".join(problems)) from None


def measure_target(
    target: Target, runs: dict[str, NetworkSupportModel], watched: dict[str, float] | None = None
) -> float:
    """The model's value of a target from finished runs by strategy (same seed); a watched
    measure's value comes from `watched` (by target key; see `watchers_for`)."""
    m = target.measure
    if m.outcome in WATCHED:
        return (watched or {}).get(target.key, float("nan"))
    run = runs[m.strategy]
    if m.outcome in CONTRASTS:
        return CONTRASTS[m.outcome](run, runs[m.versus])  # type: ignore[index]

    def one(model: NetworkSupportModel) -> float:
        fn = MEASURES.get(m.outcome) or OUTCOMES[m.outcome]
        return float(fn(model))

    return one(run) - one(runs[m.versus]) if m.versus else one(run)


def watchers_for(targets: list[Target], strategy: str) -> dict[str, RecruitedStudy]:
    """A fresh watcher for each target measured by watching this strategy's run, by target key."""
    return {
        t.key: WATCHED[t.measure.outcome]()
        for t in targets
        if t.measure.outcome in WATCHED and t.measure.strategy == strategy
    }


def run_watched(model: NetworkSupportModel, *watchers: Any) -> NetworkSupportModel:
    """Run the whole horizon one week at a time, letting each watcher look after every week (with
    no watcher, `model.run()` at once)."""
    if not watchers:
        return model.run()
    for w in watchers:
        w.watch(model)
    while model.week < model.horizon:
        model.step()
        for w in watchers:
            w.watch(model)
    return model


def strategies_needed(targets: list[Target]) -> list[str]:
    """The strategies whose runs the targets need, in a stable order."""
    out: list[str] = []
    for t in targets:
        for s in (t.measure.strategy, t.measure.versus):
            if s and s not in out:
                out.append(s)
    return out
