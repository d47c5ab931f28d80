"""Drawing the clients and their informal networks at the start of a run.

Everything here happens before any strategy acts, so every strategy run with the same seed starts
from the identical clients, naasten and acquaintances. Each attribute has its own random stream
and is drawn by turning uniform numbers into the wanted distribution (inverse CDF): changing one
parameter, say the mean stramien tolerance, changes that attribute and nothing else, so runs at
different parameter values are paired too.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.special import betaincinv, gammaincinv
from scipy.stats import nbinom

from simulation.model.parameters import PerRelation, PopulationParams, ScenarioParams
from simulation.model.state import ClientState, Relation, TieState, TieStatus
from simulation.model.streams import stream_generator

RELATIONS = tuple(Relation)


def per_relation_array(values: PerRelation) -> np.ndarray:
    """A PerRelation block as an array indexed by `Relation` code."""
    return np.array([getattr(values, r.name.lower()) for r in RELATIONS])


class PopulationDraws:
    """Uniform numbers for the population, one independent stream per attribute."""

    def __init__(self, seed: int) -> None:
        self.seed = seed

    def uniform(self, attribute: str, size: int) -> np.ndarray:
        return stream_generator(self.seed, f"population/{attribute}").random(size)


def beta_from(u: np.ndarray, mean: float, concentration: float) -> np.ndarray:
    """Beta values (mean, concentration = a + b) from uniforms, by the inverse CDF.

    A mean of exactly 0 or 1 leaves no spread: everyone gets that value."""
    if mean <= 0.0 or mean >= 1.0:
        return np.full(np.shape(u), float(np.clip(mean, 0.0, 1.0)))
    return betaincinv(mean * concentration, (1.0 - mean) * concentration, u)


def gamma_from(u: np.ndarray, mean: float, shape: float) -> np.ndarray:
    """Gamma values with the given mean and shape from uniforms, by the inverse CDF."""
    return gammaincinv(shape, u) * (mean / shape)


@dataclass(frozen=True)
class Acquaintances:
    """Which naasten of the same client know each other (compressed sparse rows over ties)."""

    indptr: np.ndarray
    indices: np.ndarray

    def of(self, tie: int) -> np.ndarray:
        """Naasten who know naaste `tie` (none for ties made later by network building)."""
        if tie + 1 >= len(self.indptr):
            return self.indices[:0]
        return self.indices[self.indptr[tie] : self.indptr[tie + 1]]


def draw_network_sizes(p: PopulationParams, draws: PopulationDraws) -> np.ndarray:
    """Overdispersed network sizes, with a share of clients who have no naasten at all."""
    n = p.n_clients
    has_any = draws.uniform("has_naasten", n) >= p.share_no_naasten
    extra_mean = max(p.network_size_mean - 1.0, 0.0)
    k = p.network_size_dispersion
    if extra_mean > 0:
        extra = nbinom.ppf(draws.uniform("network_size", n), k, k / (k + extra_mean))
    else:
        extra = np.zeros(n)
    return np.where(has_any, 1 + extra, 0).astype(np.int64)


def draw_clients(p: PopulationParams, caseload: int, draws: PopulationDraws) -> ClientState:
    """Client traits and starting states (network-independent ones)."""
    n = p.n_clients
    c = ClientState(n)
    conc = p.trait_concentration
    c.professional[:] = np.arange(n) // caseload
    c.refuses_all[:] = draws.uniform("refuses_all", n) < p.refusal_share
    willingness = beta_from(draws.uniform("willingness", n), p.willingness_mean, conc)
    c.willingness[:] = np.where(c.refuses_all, 0.0, willingness)
    c.stramien_tolerance[:] = beta_from(
        draws.uniform("stramien_tolerance", n), p.stramien_tolerance_mean, conc
    )
    c.eigen_regie[:] = beta_from(draws.uniform("eigen_regie", n), p.eigen_regie_mean, conc)
    c.trust[:] = beta_from(draws.uniform("trust", n), p.trust_mean, conc)
    c.rust[:] = beta_from(draws.uniform("rust", n), p.rust_mean, conc)
    c.eigen_regie_start[:] = c.eigen_regie
    c.rust_start[:] = c.rust
    return c


def draw_ties(
    params: ScenarioParams, clients: ClientState, sizes: np.ndarray, draws: PopulationDraws
) -> TieState:
    """Each client's naasten: relation, active or dormant, strength, overload threshold, consent."""
    p = params.population
    total = int(sizes.sum())
    owner = np.repeat(np.arange(clients.n, dtype=np.int32), sizes)
    mix = per_relation_array(p.relation_mix)
    cumulative = np.cumsum(mix / mix.sum())
    u_relation = draws.uniform("relation", total)
    relation = np.minimum(np.searchsorted(cumulative, u_relation, side="right"), len(RELATIONS) - 1)
    relation = relation.astype(np.int8)
    dormant = draws.uniform("dormant", total) < per_relation_array(p.share_dormant)[relation]
    strength = beta_from(draws.uniform("strength", total), p.tie_strength_mean, p.trait_concentration)
    strength = np.where(dormant, strength * p.dormant_strength_factor, strength)
    nb = params.naasten
    threshold = gamma_from(
        draws.uniform("threshold", total), nb.overload_threshold_mean, nb.overload_threshold_shape
    )
    consent_chance = clients.willingness[owner] * per_relation_array(p.consent_by_relation)[relation]
    consent = draws.uniform("consent", total) < consent_chance
    # room for ties made by network building (grows further if ever needed)
    ties = TieState(capacity=total + clients.n)
    ties.add(
        total,
        client=owner,
        relation=relation,
        status=np.where(dormant, TieStatus.DORMANT, TieStatus.ACTIVE),
        strength=strength,
        threshold=threshold,
        consent=consent,
    )
    return ties


def draw_acquaintances(sizes: np.ndarray, probability: float, draws: PopulationDraws) -> Acquaintances:
    """Each pair of one client's naasten knows each other with the given probability."""
    offsets = np.concatenate([[0], np.cumsum(sizes)])
    pairs_a: list[np.ndarray] = []
    pairs_b: list[np.ndarray] = []
    triu_cache: dict[int, tuple[np.ndarray, np.ndarray]] = {}
    for k in np.unique(sizes[sizes > 1]):
        triu_cache[int(k)] = np.triu_indices(int(k), 1)
    n_pairs = np.array([len(triu_cache[int(k)][0]) if k > 1 else 0 for k in sizes])
    knows = draws.uniform("acquaintance", int(n_pairs.sum())) < probability
    start = 0
    for client, k in enumerate(sizes):
        if k < 2:
            continue
        a, b = triu_cache[int(k)]
        chosen = knows[start : start + len(a)]
        start += len(a)
        pairs_a.append(offsets[client] + a[chosen])
        pairs_b.append(offsets[client] + b[chosen])
    total = int(offsets[-1])
    if pairs_a:
        a = np.concatenate(pairs_a)
        b = np.concatenate(pairs_b)
    else:
        a = b = np.zeros(0, dtype=np.int64)
    src = np.concatenate([a, b])
    dst = np.concatenate([b, a])
    order = np.argsort(src, kind="stable")
    indptr = np.concatenate([[0], np.cumsum(np.bincount(src, minlength=total))])
    return Acquaintances(indptr=indptr, indices=dst[order])


def draw_population(params: ScenarioParams, seed: int) -> tuple[ClientState, TieState, Acquaintances]:
    """The whole starting population, from the population streams of this seed alone."""
    p = params.population
    draws = PopulationDraws(seed)
    clients = draw_clients(p, params.professionals.caseload, draws)
    sizes = draw_network_sizes(p, draws)
    ties = draw_ties(params, clients, sizes, draws)
    acquaintances = draw_acquaintances(sizes, p.acquaintance_probability, draws)
    return clients, ties, acquaintances
