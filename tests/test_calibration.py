"""Calibration: the targets file, ABC-SMC with pyabc (recovery, Dask against local, resume), the
shipped posterior and the split of variance into parameter uncertainty and simulation noise."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from simulation.analysis.draws import posterior_effects, variance_shares
from simulation.calibration.posterior import SHIPPED, load_posterior, resample, summarize
from simulation.calibration.targets import (
    Target,
    TargetsError,
    load_targets,
    parse_targets,
)
from simulation.model.parameters import ScenarioParams, apply_overrides

# --- the targets file -----------------------------------------------------------------------------


def test_the_targets_file_holds_out_at_least_a_third_including_the_hard_ones():
    targets = load_targets()
    assert len(targets.validate) * 3 >= len(targets.targets)
    held = {t.measure.strategy for t in targets.validate} | {t.measure.versus for t in targets.validate}
    assert "flexible" in held  # a target that constrains flexible support is held out
    outcomes = {t.measure.outcome for t in targets.validate}
    assert "stay_breakdown_share" in outcomes  # naasten burden
    assert {"kept_home", "returning_clients"} <= outcomes  # relapse and returns
    assert any(t.measure.weeks_after_arrival for t in targets.validate if t.measure.versus)  # timing
    for t in targets.targets:
        assert t.sd > 0


def test_independent_housing_counts_own_homes_only_and_the_cohort_measure_adds_supported_housing():
    """Boesveldt's independent housing is a home of one's own; the cohort studies' stably housed
    adds supported housing and care. With no homes at all (market or network), nobody followed to
    the end is in a home of their own, while the care route still houses some; with the care route
    closed the two measures agree."""
    from simulation.calibration.targets import housed_end_of_follow_up, own_home_end_of_follow_up
    from simulation.model import NetworkSupportModel
    from simulation.scenarios import load_scenario

    base = apply_overrides(load_scenario("default"), {"weeks": 156})

    def run(**changes) -> NetworkSupportModel:
        model = NetworkSupportModel(apply_overrides(base, changes), "care_as_usual", rng=3)
        model.run()
        return model

    no_homes = run(**{"housing.homes_per_week": 0.0, "network_exits.home_lead_rate": 0.0})
    assert own_home_end_of_follow_up(no_homes) == 0.0
    assert housed_end_of_follow_up(no_homes) > 0.1
    no_care = run(**{"shelter.care_rate": 0.0})
    assert own_home_end_of_follow_up(no_care) == housed_end_of_follow_up(no_care) > 0


def test_the_utrecht_study_is_measured_on_the_people_it_recruited():
    """Boesveldt's 70 were 50 people about to move from the shelter or supported housing into a
    home of their own and 20 in the night shelter after an earlier episode. The measure recruits
    both groups from a run (the front of the housing queue; clients who came back) and reads a
    home of one's own 130 weeks later: none with no homes at all, and losing a home less often
    keeps more of those about to move in one."""
    from simulation.calibration.targets import RecruitedStudy, run_watched
    from simulation.model import NetworkSupportModel
    from simulation.scenarios import load_scenario

    base = apply_overrides(load_scenario("default"), {"weeks": 156})

    def study(seed: int = 3, **changes) -> RecruitedStudy:
        watcher = RecruitedStudy()
        run_watched(NetworkSupportModel(apply_overrides(base, changes), "care_as_usual", rng=seed), watcher)
        return watcher

    no_homes = study(**{"housing.homes_per_week": 0.0, "network_exits.home_lead_rate": 0.0})
    assert no_homes.value() == 0.0
    assert len(no_homes.ends[1]) > 0  # the night-shelter group is recruited whatever the market
    kept, lost = [], []
    for seed in (3, 4):
        kept.append(study(seed, **{"housing.relapse_rate": 0.0}))
        lost.append(study(seed, **{"housing.relapse_rate": 0.03}))
    about_to_move = [float(np.mean(w.ends[0])) for w in kept]
    assert min(about_to_move) > 0.8  # at the front of the queue, and a home is never lost
    assert np.mean([w.value() for w in lost]) < np.mean([w.value() for w in kept]) - 0.2


def _one(**change) -> dict:
    target = {
        "key": "x",
        "description": "d",
        "value": 0.5,
        "uncertainty": {"n": 100},
        "population": "p",
        "source": "vanstraaten2016",
        "measure": {"strategy": "care_as_usual", "outcome": "housed_130w", "among": "arrivals"},
        "use": "calibrate",
    }
    target.update(change)
    return target


def test_a_broken_target_is_refused_with_its_key_and_the_reason():
    data = {"targets": [_one(), _one(key="bad", source="nowhere", uncertainty={"n": 5, "band": [0, 1]})]}
    data["targets"] += [_one(key=f"v{i}", use="validate") for i in range(2)]
    with pytest.raises(TargetsError) as e:
        parse_targets(data, "t.yaml")
    message = str(e.value)
    assert "targets[bad]" in message
    assert "exactly one of n, interval or band" in message
    data["targets"][1] = _one(
        key="bad", measure={"strategy": "resource", "outcome": "nonsense", "among": "a"}
    )
    with pytest.raises(TargetsError, match="unknown outcome 'nonsense'"):
        parse_targets(data)
    watched = {"strategy": "care_as_usual", "outcome": "own_home_recruited_as_boesveldt", "among": "a"}
    data["targets"][1] = _one(key="bad", measure={**watched, "versus": "flexible"})
    with pytest.raises(TargetsError, match="measured on one watched run"):
        parse_targets(data)


def test_too_few_held_out_targets_are_refused():
    with pytest.raises(TargetsError, match="at least a third"):
        parse_targets({"targets": [_one(), _one(key="y"), _one(key="w"), _one(key="z", use="validate")]})


def test_a_target_scale_follows_its_uncertainty():
    share = Target.model_validate(_one(value=0.5, uncertainty={"n": 100}))
    assert share.sd == pytest.approx(0.05)
    wider = Target.model_validate(_one(value=0.5, uncertainty={"n": 100, "discrepancy": 0.05}))
    assert wider.sd == pytest.approx(math.sqrt(2) * 0.05)
    interval = Target.model_validate(_one(value=0.5, uncertainty={"interval": [0.3, 0.7], "level": 0.95}))
    assert interval.sd == pytest.approx(0.4 / (2 * 1.96))


# --- parameter uncertainty against simulation noise ---------------------------------------------


def test_variance_shares_recover_known_parameter_and_noise_variance():
    rng = np.random.default_rng(5)
    draws, reps = 400, 10
    mu = rng.normal(0, 2.0, draws)  # parameter variance 4
    values = mu[:, None] + rng.normal(0, 1.0, (draws, reps))  # noise variance 1
    table = pd.DataFrame({"draw": np.repeat(np.arange(draws), reps), "value": values.ravel()})
    shares = variance_shares(table)
    assert shares["noise_variance"] == pytest.approx(1.0, rel=0.05)
    assert shares["parameter_variance"] == pytest.approx(4.0, rel=0.15)
    assert shares["parameter_share"] == pytest.approx(0.8, abs=0.03)
    no_parameter = table.assign(value=rng.normal(0, 1.0, len(table)))
    assert variance_shares(no_parameter)["parameter_share"] < 0.05


def test_posterior_effects_give_wider_intervals_when_parameters_matter():
    rng = np.random.default_rng(2)
    rows = []
    for d in range(30):
        shift = rng.normal(0, 1.0)
        for r in range(5):
            noise = rng.normal(0, 0.1)
            rows.append({"point_id": d, "replication": r, "strategy": "a", "outcome": "y", "value": noise})
            rows.append(
                {"point_id": d, "replication": r, "strategy": "b", "outcome": "y", "value": noise + 1 + shift}
            )
    table = posterior_effects(pd.DataFrame(rows), baseline="a").set_index("strategy")
    assert table.loc["a", "parameter_share"] < 0.2  # a does not depend on the parameter
    assert table.loc["b", "diff_parameter_share"] > 0.9  # the difference does
    assert table.loc["b", "diff_param_high"] - table.loc["b", "diff_param_low"] > 2.0


def test_a_log_uniform_prior_is_sampled_in_orders_of_magnitude_and_given_back_on_the_models_scale():
    """pyabc moves particles in log10 for a log-uniform prior (on the natural scale the prior's 1/x
    makes a few particles near the low end carry nearly all the weight); the simulator and the
    posterior see natural values."""
    from simulation.calibration.abc import OnNaturalScale, Prior, prior_distribution

    priors = (
        Prior("clients.misfit_dropout", 0.001, 0.1, "loguniform"),
        Prior("shelter.leave_rate", 0.01, 0.02),
    )
    np.random.seed(3)
    sampled = pd.DataFrame([dict(prior_distribution(priors).rvs()) for _ in range(4000)])
    assert sampled["clients.misfit_dropout"].between(-3, -1).all()
    assert sampled["clients.misfit_dropout"].mean() == pytest.approx(-2, abs=0.03)  # uniform in log10
    assert sampled["shelter.leave_rate"].between(0.01, 0.02).all()

    seen = []
    OnNaturalScale(lambda params: seen.append(params) or {}, priors)(
        {"clients.misfit_dropout": -2.0, "shelter.leave_rate": 0.015}
    )
    assert seen == [{"clients.misfit_dropout": pytest.approx(0.01), "shelter.leave_rate": 0.015}]


def test_resampled_draws_follow_the_weights():
    particles = pd.DataFrame({"p": [0.0, 1.0], "weight": [0.9, 0.1]})
    draws = resample(particles, ["p"], 2000, seed=3)
    assert draws["p"].mean() == pytest.approx(0.1, abs=0.03)
    summary = summarize(particles, ["p"]).iloc[0]
    assert summary["mean"] == pytest.approx(0.1)


# --- ABC-SMC on a small problem -------------------------------------------------------------------

SMALL = {
    "population.n_clients": 40,
    "shelter.arrivals_per_week": 0.8,
    "shelter.warmup_weeks": 26,
    "housing.homes_per_week": 0.3,
    "peers.experts_by_experience": 2,
    "peers.volunteers": 4,
}
TRUE = {"housing.homes_per_week": 0.3, "shelter.leave_rate": 0.012}
WEEKS = 52


def _small_problem(observed: dict[str, float], sds: dict[str, float]):
    from simulation.calibration.abc import Prior, Settings, Simulator

    scenario = apply_overrides(ScenarioParams(), SMALL)
    targets = [
        Target.model_validate(
            _one(
                key=key,
                value=observed[key],
                uncertainty={"band": [observed[key] - 2 * sds[key], observed[key] + 2 * sds[key]]},
                measure={"strategy": "care_as_usual", "outcome": outcome, "among": "exits"},
            )
        )
        for key, outcome in (("unknown", "exit_share_unknown"), ("stay", "mean_stay_weeks"))
    ]
    # one log-uniform prior, so recovery also checks the way back from pyabc's log10 scale
    priors = (
        Prior("housing.homes_per_week", 0.05, 1.0),
        Prior("shelter.leave_rate", 0.002, 0.04, "loguniform"),
    )
    return Simulator(scenario, targets, WEEKS), priors, Settings


def _observed() -> tuple[dict[str, float], dict[str, float]]:
    """The targets simulated at the true values: mean and sd over replications."""
    from simulation.calibration.abc import Simulator

    scenario = apply_overrides(ScenarioParams(), SMALL)
    probe = [
        Target.model_validate(
            _one(
                key=k,
                measure={"strategy": "care_as_usual", "outcome": o, "among": "exits"},
                uncertainty={"n": 1},
            )
        )
        for k, o in (("unknown", "exit_share_unknown"), ("stay", "mean_stay_weeks"))
    ]
    sim = Simulator(scenario, probe, WEEKS)
    runs = pd.DataFrame([sim.simulate(TRUE, seed) for seed in range(8)])
    return runs.mean().to_dict(), runs.std(ddof=1).to_dict()


@pytest.fixture(scope="module")
def small():
    observed, sds = _observed()
    return _small_problem(observed, sds)


@pytest.mark.slow
def test_abc_recovers_known_parameters_and_narrows_the_prior(small, tmp_path):
    from simulation.calibration.abc import make_sampler, posterior_particles, run_calibration

    simulator, priors, Settings = small
    settings = Settings(population=24, generations=3, priors=priors, seed=4)
    history = run_calibration(simulator, settings, make_sampler("processes", 2), tmp_path)
    particles = posterior_particles(history, priors)
    summary = summarize(particles, [p.path for p in priors]).set_index("parameter")
    for prior in priors:
        row = summary.loc[prior.path]
        assert row["low"] <= TRUE[prior.path] <= row["high"], (prior.path, row.to_dict())
        assert row["high"] - row["low"] < 0.9 * 0.9 * (
            prior.high - prior.low
        )  # narrower than the prior's 90%


@pytest.mark.slow
def test_resume_continues_the_same_run(small, tmp_path):
    from simulation.calibration.abc import (
        diagnostics,
        make_sampler,
        posterior_particles,
        predictive,
        run_calibration,
    )

    simulator, priors, Settings = small
    first = run_calibration(
        simulator, Settings(population=6, generations=1, priors=priors), make_sampler("serial", 1), tmp_path
    )
    before = posterior_particles(first, priors, t=0)
    resumed = run_calibration(
        simulator,
        Settings(population=6, generations=2, priors=priors),
        make_sampler("serial", 1),
        tmp_path,
        resume=True,
    )
    assert list(diagnostics(resumed)["generation"]) == [0, 1]
    assert len(resumed.all_runs()) == 1  # the same run continued, not a new one
    pd.testing.assert_frame_equal(posterior_particles(resumed, priors, t=0), before)
    assert len(predictive(resumed, t=0)) == len(before) == 6  # a chosen generation's fit (--use-generation)
    assert diagnostics(resumed)["epsilon"].iloc[1] <= diagnostics(resumed)["epsilon"].iloc[0]


@pytest.mark.slow
def test_dask_and_local_posteriors_agree(small, tmp_path):
    from dask.distributed import Client, LocalCluster

    from simulation.calibration.abc import make_sampler, posterior_particles, run_calibration
    from simulation.calibration.posterior import summarize

    simulator, priors, Settings = small
    settings = Settings(population=16, generations=2, priors=priors, seed=8)
    local = posterior_particles(
        run_calibration(simulator, settings, make_sampler("processes", 2), tmp_path / "a"), priors
    )
    with (
        LocalCluster(n_workers=2, threads_per_worker=1, processes=True) as cluster,
        Client(cluster) as client,
    ):
        import pyabc

        sampler = pyabc.sampler.DaskDistributedSampler(dask_client=client)
        dask = posterior_particles(run_calibration(simulator, settings, sampler, tmp_path / "b"), priors)
    for prior in priors:
        a, b = (summarize(p, [prior.path]).iloc[0] for p in (local, dask))
        ess = 1 / np.sum(local["weight"] ** 2) + 1 / np.sum(dask["weight"] ** 2)
        spread = max(a["high"] - a["low"], b["high"] - b["low"]) / 3.29  # ~ sd from a 90% interval
        assert abs(a["mean"] - b["mean"]) <= 3 * spread * math.sqrt(4 / ess), prior.path


# --- the shipped posterior -----------------------------------------------------------------------


@pytest.mark.skipif(not (SHIPPED / "draws.csv").is_file(), reason="no shipped posterior")
def test_the_shipped_posterior_is_small_and_its_central_values_are_the_defaults():
    post = load_posterior(SHIPPED, warn=False)
    assert 100 <= len(post.draws) <= 500
    defaults = ScenarioParams()
    for path, value in post.central().items():
        section, name = path.split(".")
        assert getattr(getattr(defaults, section), name) == pytest.approx(value, rel=5e-3), path  # 3 digits


def test_the_parameters_said_to_be_fitted_are_the_calibrated_ones_against_the_calibrate_targets():
    """A parameter's description says it is fitted exactly when `snf calibrate` fits it, and names the
    targets it is fitted to: no hand-tuned value hides behind the tag, no fitted one behind `assumption`."""
    from simulation.calibration.abc import PRIORS
    from simulation.model.parameters.base import ABC_FIT
    from simulation.reference import parameter_rows

    rows = {r.path: r for r in parameter_rows()}
    fitted = {path for path, r in rows.items() if ABC_FIT in r.doc}
    assert fitted == {p.path for p in PRIORS}
    assert all(rows[path].evidence == "calibrated" for path in fitted)
    assert {path for path, r in rows.items() if r.evidence == "calibrated"} == fitted
    named = ABC_FIT.split("against ")[1].replace(" and ", ", ").replace(";", ",").split(", ")
    assert {t.key for t in load_targets().calibrate} <= set(named)
    assert {t.key for t in load_targets().validate}.isdisjoint(named)


def test_a_posterior_made_with_other_model_code_warns(tmp_path):
    pd.DataFrame({"draw": [0, 1], "shelter.leave_rate": [0.01, 0.02]}).to_csv(
        tmp_path / "draws.csv", index=False
    )
    summarize(
        pd.DataFrame({"shelter.leave_rate": [0.01, 0.02], "weight": [0.5, 0.5]}), ["shelter.leave_rate"]
    ).to_csv(tmp_path / "summary.csv", index=False)
    (tmp_path / "posterior.json").write_text('{"code_fingerprint": "0000000000000000"}')
    with pytest.warns(UserWarning, match="recalibrate"):
        post = load_posterior(tmp_path)
    assert post.sample(2) == [{"shelter.leave_rate": 0.01}, {"shelter.leave_rate": 0.02}]
    with pytest.raises(ValueError, match="holds 2"):
        post.sample(3)  # repeating draws would understate the parameter uncertainty


def test_held_out_targets_pass_inside_their_band_and_fail_outside():
    from simulation.calibration.heldout import held_out_table

    targets = parse_targets(
        {
            "targets": [
                _one(key="fitted"),
                _one(key="near", use="validate", value=0.5, uncertainty={"n": 100}),
                _one(key="far", use="validate", value=0.9, uncertainty={"n": 100}),
            ]
        }
    )
    rng = np.random.default_rng(1)
    values = pd.DataFrame({k: rng.normal(0.5, 0.02, 50) for k in ("fitted", "near", "far")})
    table = held_out_table(values, targets).set_index("target")["result"]
    assert table.to_dict() == {"fitted": "fit", "near": "PASS", "far": "FAIL"}
