"""Drawing clients and their informal networks when they arrive.

Everything here happens before any strategy acts on a client, so every strategy run with the same
seed meets the identical clients, naasten and acquaintances. Each attribute of each client is a
number keyed to (seed, attribute, the client's identity) and turned into the wanted distribution by
its inverse CDF (see `streams.py`). So changing one parameter, say the mean stramien tolerance,
changes that attribute and nothing else, and a client's traits do not depend on who arrived before:
runs at different parameter values, and runs in which the flow differs, stay paired.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.special import betaincinv, gammaincinv
from scipy.stats import nbinom, poisson

from simulation.model.parameters import PerRelation, PopulationParams, ScenarioParams
from simulation.model.state import Relation, TieStatus
from simulation.model.streams import combine, keyed_uniform, name_key

RELATIONS = tuple(Relation)
_IDENTITY = name_key("identity")


def per_relation_array(values: PerRelation) -> np.ndarray:
    """A PerRelation block as an array indexed by `Relation` code."""
    return np.array([getattr(values, r.name.lower()) for r in RELATIONS])


def identity_keys(uids: np.ndarray) -> np.ndarray:
    """The key of each client identity (it keys every draw about that client)."""
    return combine(_IDENTITY, np.asarray(uids, dtype=np.int64))


def tie_keys(client_keys: np.ndarray, slots: np.ndarray) -> np.ndarray:
    """The key of each naaste: the client's key and the naaste's place in the network."""
    return combine(client_keys, np.asarray(slots, dtype=np.int64))


class PopulationDraws:
    """Uniform numbers for the population, keyed to (seed, attribute, identity)."""

    def __init__(self, seed: int) -> None:
        self.seed = seed

    def uniform(self, attribute: str, *keys: np.ndarray) -> np.ndarray:
        return keyed_uniform(self.seed, f"population/{attribute}", *keys)


def beta_from(u: np.ndarray, mean: float, concentration: float) -> np.ndarray:
    """Beta values (mean, concentration = a + b) from uniforms, by the inverse CDF.

    A mean of exactly 0 or 1 leaves no spread: everyone gets that value."""
    if mean <= 0.0 or mean >= 1.0:
        return np.full(np.shape(u), float(np.clip(mean, 0.0, 1.0)))
    return betaincinv(mean * concentration, (1.0 - mean) * concentration, u)


def gamma_from(u: np.ndarray, mean: float, shape: float) -> np.ndarray:
    """Gamma values with the given mean and shape from uniforms, by the inverse CDF."""
    return gammaincinv(shape, u) * (mean / shape)


def poisson_from(u: float, mean: float) -> int:
    """A Poisson count from one uniform, by the inverse CDF."""
    if mean <= 0:
        return 0
    if 0.0 < u < 1.0:  # scipy's own quantile, without the checks that cost more than it (once a week)
        return int(poisson._ppf(np.float64(u), np.float64(mean)))
    return int(poisson.ppf(u, mean))


def nbinom_from(u: np.ndarray, n: float, p: float) -> np.ndarray:
    """Negative-binomial counts from uniforms, by the inverse CDF (scipy's `nbinom.ppf`; its own
    quantile function straight away when every uniform is inside (0, 1) and the shape is valid)."""
    u = np.asarray(u, dtype=np.float64)
    if n > 0 and 0 < p <= 1 and bool(np.all((u > 0) & (u < 1))):
        with np.errstate(over="ignore"):
            return np.asarray(nbinom._ppf(u, n, p), dtype=np.float64)
    return nbinom.ppf(u, n, p)


def knows_each_other(
    seed: int, uid: int | np.ndarray, slot_a: np.ndarray, slot_b: np.ndarray, probability: float
) -> np.ndarray:
    """Whether pairs of a client's naasten (by slot) know each other: a fixed draw per pair,
    the same whichever of the two asks. Naasten made later by network building know nobody.
    `uid` is the client's identity, or one per pair (pairs of many clients at once)."""
    low, high = np.minimum(slot_a, slot_b), np.maximum(slot_a, slot_b)
    u = keyed_uniform(seed, "population/acquaintance", np.int64(uid), low, high)
    return u < probability


@dataclass(frozen=True)
class Arrivals:
    """Newly drawn clients (column values for `ClientState.add`) and their naasten (for `TieState.add`)."""

    clients: dict[str, np.ndarray]
    ties: dict[str, np.ndarray]
    sizes: np.ndarray  # naasten per client, in client order

    @property
    def n(self) -> int:
        return len(self.sizes)


def draw_network_sizes(p: PopulationParams, draws: PopulationDraws, uids: np.ndarray) -> np.ndarray:
    """Overdispersed network sizes, with a share of clients who have no naasten at all."""
    has_any = draws.uniform("has_naasten", uids) >= p.share_no_naasten
    extra_mean = max(p.network_size_mean - 1.0, 0.0)
    k = p.network_size_dispersion
    if extra_mean > 0:
        extra = nbinom_from(draws.uniform("network_size", uids), k, k / (k + extra_mean))
    else:
        extra = np.zeros(len(uids))
    return np.where(has_any, 1 + extra, 0).astype(np.int64)


def draw_clients(params: ScenarioParams, draws: PopulationDraws, uids: np.ndarray) -> dict[str, np.ndarray]:
    """Client traits and starting states."""
    p = params.population
    conc = p.trait_concentration
    refuses_all = draws.uniform("refuses_all", uids) < p.refusal_share
    accepts = draws.uniform("accepts_new_ties", uids) < params.clients.refuser_accepts_new_tie
    willingness = beta_from(draws.uniform("willingness", uids), p.willingness_mean, conc)
    eigen_regie = beta_from(draws.uniform("eigen_regie", uids), p.eigen_regie_mean, conc)
    rust = beta_from(draws.uniform("rust", uids), p.rust_mean, conc)
    return {
        "uid": uids,
        "key": identity_keys(uids),
        "refuses_all": refuses_all,
        "accepts_new_ties": ~refuses_all | accepts,
        "willingness": np.where(refuses_all, 0.0, willingness),
        "stramien_tolerance": beta_from(
            draws.uniform("stramien_tolerance", uids), p.stramien_tolerance_mean, conc
        ),
        "eigen_regie": eigen_regie,
        "eigen_regie_start": eigen_regie,
        "trust": beta_from(draws.uniform("trust", uids), p.trust_mean, conc),
        "rust": rust,
        "rust_start": rust,
    }


def draw_ties(
    params: ScenarioParams, clients: dict[str, np.ndarray], sizes: np.ndarray, draws: PopulationDraws
) -> dict[str, np.ndarray]:
    """Each client's naasten: relation, active or dormant, strength, overload threshold, consent.

    `client` holds positions in the arriving group (0 .. n-1); the model turns them into rows."""
    p = params.population
    total = int(sizes.sum())
    owner = np.repeat(np.arange(len(sizes), dtype=np.int64), sizes)
    starts = np.concatenate([[0], np.cumsum(sizes)[:-1]]).astype(np.int64)
    slot = np.arange(total, dtype=np.int64) - np.repeat(starts, sizes)
    uid = clients["uid"][owner]
    keys = (uid, slot)
    mix = per_relation_array(p.relation_mix)
    cumulative = np.cumsum(mix / mix.sum())
    relation = np.minimum(
        np.searchsorted(cumulative, draws.uniform("relation", *keys), side="right"), len(RELATIONS) - 1
    ).astype(np.int8)
    dormant = draws.uniform("dormant", *keys) < per_relation_array(p.share_dormant)[relation]
    strength = beta_from(draws.uniform("strength", *keys), p.tie_strength_mean, p.trait_concentration)
    strength = np.where(dormant, strength * p.dormant_strength_factor, strength)
    nb = params.naasten
    threshold = gamma_from(
        draws.uniform("threshold", *keys), nb.overload_threshold_mean, nb.overload_threshold_shape
    )
    consent_chance = clients["willingness"][owner] * per_relation_array(p.consent_by_relation)[relation]
    consent = draws.uniform("consent", *keys) < consent_chance
    return {
        "client": owner,
        "slot": slot.astype(np.int32),
        "key": tie_keys(clients["key"][owner], slot),
        "relation": relation,
        "status": np.where(dormant, TieStatus.DORMANT, TieStatus.ACTIVE).astype(np.int8),
        "strength": strength,
        "threshold": threshold,
        "consent": consent,
    }


def draw_arrivals(params: ScenarioParams, seed: int, uids: np.ndarray) -> Arrivals:
    """Clients with these identities, as they arrive: traits and networks, from their keys alone."""
    draws = PopulationDraws(seed)
    uids = np.asarray(uids, dtype=np.int64)
    clients = draw_clients(params, draws, uids)
    sizes = draw_network_sizes(params.population, draws, uids)
    ties = draw_ties(params, clients, sizes, draws)
    return Arrivals(clients=clients, ties=ties, sizes=sizes)
