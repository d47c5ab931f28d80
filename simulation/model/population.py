"""Drawing the clients and their informal networks at the start of a run.

Everything here uses the population stream only, before any strategy acts, so every strategy run
with the same seed starts from the identical clients, naasten and acquaintances.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from simulation.model.parameters import PerRelation, PopulationParams, ScenarioParams
from simulation.model.state import ClientState, Relation, TieState, TieStatus

RELATIONS = tuple(Relation)


def per_relation_array(values: PerRelation) -> np.ndarray:
    """A PerRelation block as an array indexed by `Relation` code."""
    return np.array([getattr(values, r.name.lower()) for r in RELATIONS])


def beta(rng: np.random.Generator, mean: float, concentration: float, size: int) -> np.ndarray:
    """Beta draws parameterised by mean and concentration (a + b)."""
    return rng.beta(mean * concentration, (1.0 - mean) * concentration, size)


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


def draw_network_sizes(p: PopulationParams, rng: np.random.Generator) -> np.ndarray:
    """Overdispersed network sizes, with a share of clients who have no naasten at all."""
    n = p.n_clients
    has_any = rng.random(n) >= p.share_no_naasten
    extra_mean = max(p.network_size_mean - 1.0, 0.0)
    k = p.network_size_dispersion
    extra = rng.negative_binomial(k, k / (k + extra_mean), n) if extra_mean > 0 else np.zeros(n)
    return np.where(has_any, 1 + extra, 0).astype(np.int64)


def draw_clients(p: PopulationParams, caseload: int, rng: np.random.Generator) -> ClientState:
    """Client traits and starting states (network-independent ones)."""
    n = p.n_clients
    c = ClientState(n)
    c.professional[:] = np.arange(n) // caseload
    c.refuses_all[:] = rng.random(n) < p.refusal_share
    c.willingness[:] = np.where(c.refuses_all, 0.0, beta(rng, p.willingness_mean, p.trait_concentration, n))
    c.stramien_tolerance[:] = beta(rng, p.stramien_tolerance_mean, p.trait_concentration, n)
    c.eigen_regie[:] = beta(rng, p.eigen_regie_mean, p.trait_concentration, n)
    c.trust[:] = beta(rng, p.trust_mean, p.trait_concentration, n)
    c.rust[:] = beta(rng, p.rust_mean, p.trait_concentration, n)
    c.eigen_regie_start[:] = c.eigen_regie
    c.rust_start[:] = c.rust
    return c


def draw_ties(
    params: ScenarioParams, clients: ClientState, sizes: np.ndarray, rng: np.random.Generator
) -> TieState:
    """Each client's naasten: relation, active or dormant, strength, overload threshold, consent."""
    p = params.population
    total = int(sizes.sum())
    owner = np.repeat(np.arange(clients.n, dtype=np.int32), sizes)
    mix = per_relation_array(p.relation_mix)
    relation = rng.choice(len(RELATIONS), size=total, p=mix / mix.sum()).astype(np.int8)
    dormant = rng.random(total) < per_relation_array(p.share_dormant)[relation]
    strength = beta(rng, p.tie_strength_mean, p.trait_concentration, total)
    strength = np.where(dormant, strength * p.dormant_strength_factor, strength)
    nb = params.naasten
    threshold = rng.gamma(
        nb.overload_threshold_shape, nb.overload_threshold_mean / nb.overload_threshold_shape, total
    )
    consent_chance = clients.willingness[owner] * per_relation_array(p.consent_by_relation)[relation]
    consent = rng.random(total) < consent_chance
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


def draw_acquaintances(sizes: np.ndarray, probability: float, rng: np.random.Generator) -> Acquaintances:
    """Each pair of one client's naasten knows each other with the given probability."""
    offsets = np.concatenate([[0], np.cumsum(sizes)])
    pairs_a: list[np.ndarray] = []
    pairs_b: list[np.ndarray] = []
    triu_cache: dict[int, tuple[np.ndarray, np.ndarray]] = {}
    for k in np.unique(sizes[sizes > 1]):
        triu_cache[int(k)] = np.triu_indices(int(k), 1)
    n_pairs = np.array([len(triu_cache[int(k)][0]) if k > 1 else 0 for k in sizes])
    knows = rng.random(int(n_pairs.sum())) < probability
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


def draw_population(
    params: ScenarioParams, rng: np.random.Generator
) -> tuple[ClientState, TieState, Acquaintances]:
    """The whole starting population, from the population stream alone."""
    p = params.population
    clients = draw_clients(p, params.professionals.caseload, rng)
    sizes = draw_network_sizes(p, rng)
    ties = draw_ties(params, clients, sizes, rng)
    acquaintances = draw_acquaintances(sizes, p.acquaintance_probability, rng)
    return clients, ties, acquaintances
