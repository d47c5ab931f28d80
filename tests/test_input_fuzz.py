"""Malformed input of every kind stops with one short message and exit status 2, writes nothing.

Each case is a scenario file, a `--set` value, an experiment file (with its CSV of points) or a
results folder for `snf report` that is wrong in one way. The CLI runs in-process; for every case:
exit status 2, one line on stderr under 300 characters (paths of the test's own folders aside),
no traceback, and the `--out` folder never created.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import yaml

from simulation.cli import main
from simulation.scenarios import SCENARIO_DIR

#: the longest message accepted, once the test's own folder paths are shortened to a token
MAX_MESSAGE = 300

#: a parameter of each kind and section (whole numbers, shares, rates, hours)
PARAMETERS = [
    "weeks",
    "population.n_clients",
    "population.network_size_mean",
    "population.refusal_share",
    "naasten.withdraw_probability",
    "professionals.caseload",
    "professionals.network_hours_per_week",
    "clients.base_dropout",
    "housing.homes_per_week",
    "shelter.arrivals_per_week",
    "shelter.warmup_weeks",
    "naasten.overload_threshold_mean",
]
#: values no numeric parameter takes, as YAML text
BAD_VALUES = {
    "text": "abc",
    "list": "[1, 2]",
    "mapping": "{a: 1}",
    "nan": ".nan",
    "inf": ".inf",
    "minus_inf": "-.inf",
    "bool": "true",
    "null": "null",
    "huge": "1e400",
}

EXPERIMENT = {"name": "fuzz", "scenario": "default", "strategies": ["resource"], "replications": 1, "seed": 1}


@dataclass
class Case:
    """One malformed input: files to write (name -> text or bytes) and the command to run."""

    args: Callable[[Path], list[str]]
    files: dict[str, str | bytes] = field(default_factory=dict)
    expect: str = ""  # a fragment the message must hold


def nested(mapping: dict[str, object]) -> dict:
    """{"a.b": 1} -> {"a": {"b": 1}}."""
    out: dict = {}
    for key, value in mapping.items():
        node = out
        *parents, last = key.split(".")
        for part in parents:
            node = node.setdefault(part, {})
        node[last] = value
    return out


def scenario_case(text: str | bytes, expect: str = "") -> Case:
    return Case(lambda d: ["run", "--scenario", str(d / "s.yaml")], {"s.yaml": text}, expect)


def set_case(*sets: str, expect: str = "") -> Case:
    return Case(lambda d: ["run", *[a for s in sets for a in ("--set", s)]], {}, expect)


def experiment_case(
    data: dict | str, expect: str = "", csv: str | bytes | None = None, command: str = "sweep"
) -> Case:
    text = data if isinstance(data, str) else yaml.safe_dump(data, sort_keys=False)
    files: dict[str, str | bytes] = {"e.yaml": text}
    if csv is not None:
        files["points.csv"] = csv
    return Case(lambda d: [command, str(d / "e.yaml"), "--executor", "serial", "--quiet"], files, expect)


def design(design_spec: dict, **top: object) -> dict:
    return {**EXPERIMENT, **top, "design": design_spec}


def csv_case(text: str | bytes, expect: str = "") -> Case:
    return experiment_case(design({"type": "csv", "file": "points.csv"}), expect, csv=text)


def alias_bomb(levels: int = 6) -> str:
    lines = ['a0: &a0 ["x", "x", "x", "x", "x", "x", "x", "x", "x"]']
    for i in range(1, levels):
        lines.append(f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]")
    return "\n".join(lines) + f"\nname: *a{levels - 1}\n"


def report_case(build: Callable[[Path], None], expect: str = "", out: str | None = None) -> Case:
    def args(d: Path) -> list[str]:
        build(d / "results")
        return ["report", str(d / "results")] + (["--out", str(d / "results" / out)] if out else [])

    return Case(args, {}, expect)


def comparison(
    folder: Path, digests: bool = True, strategies: tuple[str, ...] = ("resource", "flexible")
) -> None:
    """A small comparison folder as `snf compare` leaves it (tables and a manifest)."""
    from simulation.experiments.io import file_digests

    folder.mkdir(parents=True, exist_ok=True)
    rows = [
        {"strategy": s, "outcome": "has_support_group", "n": 2, "mean": 0.5, "ci_low": 0.4, "ci_high": 0.6}
        | {"diff_vs_baseline": 0.0, "diff_ci_low": 0.0, "diff_ci_high": 0.0}
        for s in strategies
    ]
    import pandas as pd

    pd.DataFrame(rows).to_csv(folder / "summary.csv", index=False)
    weekly = [
        {"strategy": s, "replication": r, "week": w} for s in strategies for r in (0, 1) for w in (1, 2)
    ]
    pd.DataFrame(weekly).to_csv(folder / "weekly.csv", index=False)
    manifest = {"kind": "compare", "strategies": {s: {} for s in strategies}, "replications": 2}
    if digests:
        manifest["tables"] = file_digests(folder, ["summary.csv", "weekly.csv"])
    (folder / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")


def then(*steps: Callable[[Path], None]) -> Callable[[Path], None]:
    def build(folder: Path) -> None:
        for step in steps:
            step(folder)

    return build


def write(name: str, text: str) -> Callable[[Path], None]:
    return lambda folder: (
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        or (folder / name).write_text(text, encoding="utf-8")
    )


def truncate(name: str) -> Callable[[Path], None]:
    def cut(folder: Path) -> None:
        data = (folder / name).read_bytes()
        (folder / name).write_bytes(data[: len(data) // 2])

    return cut


def other_run(folder: Path) -> None:
    """The tables of another run (other numbers) copied over the first run's."""
    other = folder.parent / "other"
    comparison(other)
    summary = (other / "summary.csv").read_text().replace("0.5", "0.7")
    (folder / "summary.csv").write_text(summary)


CASES: dict[str, Case] = {}

# --- scenario files: every kind of bad value in every section -------------------------------------
for path in PARAMETERS:
    for value_name, value in BAD_VALUES.items():
        key = path.split(".")
        text = f"{key[0]}: {value}\n" if len(key) == 1 else f"{key[0]}:\n  {key[1]}: {value}\n"
        CASES[f"scenario-{path}-{value_name}"] = scenario_case(text, path)
for path in PARAMETERS[:6]:
    CASES[f"scenario-{path}-negative"] = scenario_case(yaml.safe_dump(nested({path: -1})), path)

CASES |= {
    "scenario-duplicate-key": scenario_case("weeks: 10\nweeks: 20\n", "duplicate key 'weeks'"),
    "scenario-duplicate-section": scenario_case(
        "population:\n  n_clients: 10\npopulation:\n  n_clients: 20\n", "duplicate key 'population'"
    ),
    "scenario-duplicate-nested": scenario_case(
        "population:\n  n_clients: 10\n  n_clients: 20\n", "duplicate key 'n_clients'"
    ),
    "scenario-deep-nesting": scenario_case("weeks: " + "[" * 500 + "]" * 500 + "\n", "levels deep"),
    "scenario-deep-mapping": scenario_case("a:\n" + "".join(" " * i + "b:\n" for i in range(1, 80)), "deep"),
    "scenario-alias-bomb": scenario_case(alias_bomb(), "aliases"),
    "scenario-alias-itself": scenario_case("a: &a [1, *a]\n", "alias"),
    "scenario-alias-deep": scenario_case(
        "a: &a [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]\n"
        "b: &b [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[*a]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]\n",
        "deep",
    ),
    "scenario-bad-yaml": scenario_case("population: [unclosed\n", "not valid YAML"),
    "scenario-tab-indent": scenario_case("population:\n\tn_clients: 10\n", "not valid YAML"),
    "scenario-python-tag": scenario_case("name: !!python/object/apply:os.system ['true']\n", "YAML"),
    "scenario-binary": scenario_case(b"\x89PNG\r\n\x1a\n\x00\x00\xff\xfe", "cannot be read"),
    "scenario-a-list": scenario_case("- a\n- b\n", "mapping"),
    "scenario-a-number": scenario_case("42\n", "mapping"),
    "scenario-unknown-section": scenario_case("populations:\n  n_clients: 10\n", "unknown key"),
    "scenario-unknown-key": scenario_case("population:\n  n_clientz: 10\n", "did you mean"),
    "scenario-section-not-mapping": scenario_case("population: 5\n", "section"),
    "scenario-mix-not-one": scenario_case(
        "population:\n  relation_mix: {family: 0.5, friend: 0.5, peer: 0.5, other: 0.0}\n", "sum to 1"
    ),
    "scenario-weights-not-one": scenario_case("housing:\n  readiness_weight_rust: 0.9\n", "sum to 1"),
    "scenario-long-text-value": scenario_case("population:\n  n_clients: " + "x" * 100_000 + "\n", "whole"),
    "scenario-long-list-value": scenario_case("weeks: [" + ", ".join(["1"] * 5000) + "]\n", "weeks"),
    "scenario-name-up": scenario_case("name: ../../etc\n", "name"),
    "scenario-name-absolute": scenario_case("name: /etc/passwd\n", "name"),
    "scenario-name-nul": scenario_case('name: "a\\0b"\n', "name"),
    "scenario-name-long": scenario_case(f"name: {'n' * 300}\n", "name"),
    "scenario-name-empty": scenario_case('name: ""\n', "name"),
    "scenario-name-not-text": scenario_case("name: [a]\n", "name"),
    "scenario-strategy-name-up": scenario_case("strategies:\n  ../x:\n    base: flexible\n", "name"),
    "scenario-strategy-unknown-base": scenario_case("strategies:\n  x:\n    base: nope\n", "base"),
    "scenario-strategy-bad-knobs": scenario_case(
        "strategies:\n  x:\n    base: flexible\n    min_group_size: 9\n    max_nominees: 3\n",
        "min_group_size",
    ),
    "scenario-too-large": scenario_case("# " + "x" * 2_100_000 + "\nweeks: 10\n", "too large"),
    "scenario-missing": Case(lambda d: ["run", "--scenario", str(d / "no.yaml")], {}, "not found"),
    "scenario-folder": Case(lambda d: ["run", "--scenario", str(d)], {}, "folder"),
    "scenario-device": Case(lambda d: ["run", "--scenario", "/dev/zero"], {}, "not a regular file"),
}

# --- --set values ----------------------------------------------------------------------------------
for path in PARAMETERS[:6]:
    for value_name in ("text", "list", "mapping", "nan", "inf"):
        CASES[f"set-{path}-{value_name}"] = set_case(f"{path}={BAD_VALUES[value_name]}", expect=path)
CASES |= {
    "set-no-equals": set_case("population.n_clients", expect="KEY=VALUE"),
    "set-empty-key": set_case("=5", expect="KEY=VALUE"),
    "set-unknown": set_case("population.n_clientz=5", expect="did you mean"),
    "set-long-key": set_case("k" * 10_000 + "=1", expect="not a parameter name"),
    "set-nul-key": set_case("weeks\x00=1", expect="not a parameter name"),
    "set-long-value": set_case("weeks=" + "9" * 100_000, expect="weeks"),
    "set-deep": set_case("weeks=" + "[" * 500 + "]" * 500, expect="deep"),
    "set-alias-itself": set_case("weeks=&a [*a]", expect="alias"),
    "set-duplicate-key": set_case("population={n_clients: 1, n_clients: 2}", expect="duplicate"),
    "set-mix-not-one": set_case("population.relation_mix.family=0.9", expect="sum to 1"),
    "set-name-up": set_case("name=../../etc", expect="name"),
    "set-name-nul": set_case("name=a\x00b", expect="name"),
    "set-strategy-name": set_case("strategies={../x: {base: flexible}}", expect="name"),
}

# --- experiment files ------------------------------------------------------------------------------
RANGE = "population.network_size_mean"
CASES |= {
    "experiment-no-seed": experiment_case({k: v for k, v in EXPERIMENT.items() if k != "seed"}, "seed"),
    "experiment-negative-seed": experiment_case({**EXPERIMENT, "seed": -1}, "seed"),
    "experiment-text-seed": experiment_case({**EXPERIMENT, "seed": "one"}, "seed"),
    "experiment-no-replications": experiment_case({**EXPERIMENT, "replications": 0}, "replications"),
    "experiment-no-strategies": experiment_case({**EXPERIMENT, "strategies": []}, "strategies"),
    "experiment-unknown-strategy": experiment_case({**EXPERIMENT, "strategies": ["nope"]}, "nope"),
    "experiment-strategy-twice": experiment_case(
        {**EXPERIMENT, "strategies": ["resource", "resource"]}, "twice"
    ),
    "experiment-unknown-key": experiment_case({**EXPERIMENT, "replicationz": 2}, "unknown key"),
    "experiment-a-list": experiment_case("- a\n- b\n", "mapping"),
    "experiment-missing-scenario": experiment_case({**EXPERIMENT, "scenario": "nope.yaml"}, "not found"),
    "experiment-bad-set": experiment_case(
        {**EXPERIMENT, "set": {"population.n_clients": "many"}}, "n_clients"
    ),
    "experiment-set-mix": experiment_case(
        {**EXPERIMENT, "set": {"population.relation_mix.family": 0.9}}, "sum"
    ),
    "experiment-name-up": experiment_case({**EXPERIMENT, "name": "../../etc"}, "name"),
    "experiment-name-absolute": experiment_case({**EXPERIMENT, "name": "/tmp/x"}, "name"),
    "experiment-name-nul": experiment_case({**EXPERIMENT, "name": "a\x00b"}, "name"),
    "experiment-name-long": experiment_case({**EXPERIMENT, "name": "n" * 300}, "name"),
    "experiment-duplicate-key": experiment_case(
        yaml.safe_dump(EXPERIMENT) + "seed: 2\n", "duplicate key 'seed'"
    ),
    "experiment-alias-bomb": experiment_case(
        yaml.safe_dump(EXPERIMENT) + alias_bomb().replace("name:", "description:"), "aliases"
    ),
    "experiment-deep": experiment_case(
        yaml.safe_dump(EXPERIMENT) + "set: " + "[" * 500 + "]" * 500 + "\n", "deep"
    ),
    "experiment-record-unknown": experiment_case(
        {**EXPERIMENT, "record": {"weekly": True, "all": True}}, "unknown key"
    ),
    "design-unknown-type": experiment_case(design({"type": "random"}), "design.type"),
    "design-unknown-parameter": experiment_case(
        design({"type": "grid", "parameters": {"nope": [1]}}), "nope"
    ),
    "design-unknown-knob": experiment_case(
        design({"type": "grid", "parameters": {"strategy.nope": [1]}}), "knob"
    ),
    "design-none-with-parameters": experiment_case(
        design({"type": "none", "parameters": {RANGE: [1.0]}}), "none"
    ),
    "grid-empty": experiment_case(design({"type": "grid"}), "at least one parameter"),
    "grid-empty-list": experiment_case(design({"type": "grid", "parameters": {RANGE: []}}), "non-empty"),
    "grid-a-range": experiment_case(
        design({"type": "grid", "parameters": {RANGE: {"low": 1.0, "high": 2.0}}}), "list"
    ),
    "grid-a-number": experiment_case(design({"type": "grid", "parameters": {RANGE: 3.0}}), "must be a list"),
    "grid-list-value": experiment_case(
        design({"type": "grid", "parameters": {RANGE: [[1.0, 2.0]]}}), "not a list"
    ),
    "grid-mapping-value": experiment_case(
        design({"type": "grid", "parameters": {RANGE: [{"a": 1}]}}), "not a mapping"
    ),
    "grid-nan-value": experiment_case(
        design({"type": "grid", "parameters": {RANGE: [float("nan")]}}), "finite"
    ),
    "grid-inf-value": experiment_case(
        design({"type": "grid", "parameters": {RANGE: [float("inf")]}}), "finite"
    ),
    "grid-whole-number": experiment_case(
        design({"type": "grid", "parameters": {"population.n_clients": [20.5, 30]}}), "whole number"
    ),
    "grid-out-of-range": experiment_case(
        design({"type": "grid", "parameters": {"population.refusal_share": [0.2, 3.0]}}), "out of range"
    ),
    "grid-text-value": experiment_case(design({"type": "grid", "parameters": {RANGE: ["many"]}}), "number"),
    "grid-too-large": experiment_case(
        design(
            {
                "type": "grid",
                "parameters": {
                    p: [0.1 * i for i in range(1, 11)]
                    for p in (
                        "population.refusal_share",
                        "population.share_no_naasten",
                        "population.tie_strength_mean",
                        "naasten.withdraw_probability",
                        "naasten.join_probability",
                        "clients.base_dropout",
                        "clients.misfit_dropout",
                    )
                },
            }
        ),
        "10,000,000 points",
    ),
    "grid-mix-point": experiment_case(
        design(
            {
                "type": "grid",
                "parameters": {
                    "population.relation_mix.family": [0.4, 0.5],
                    "population.relation_mix.friend": [0.35, 0.25],
                },
            }
        ),
        "design point",
    ),
    "grid-weights-point": experiment_case(
        design({"type": "grid", "parameters": {"housing.readiness_weight_rust": [0.2, 0.6]}}), "sum to 1"
    ),
    "grid-knobs-point": experiment_case(
        design({"type": "grid", "parameters": {"strategy.min_group_size": [2, 9]}}), "min_group_size"
    ),
    "lhs-no-samples": experiment_case(
        design({"type": "lhs", "parameters": {RANGE: {"low": 1.0, "high": 2.0}}}), "samples"
    ),
    "lhs-a-list": experiment_case(
        design({"type": "lhs", "samples": 4, "parameters": {RANGE: [1.0, 2.0]}}), "range"
    ),
    "lhs-inf-bound": experiment_case(
        design({"type": "lhs", "samples": 4, "parameters": {RANGE: {"low": 1.0, "high": float("inf")}}}),
        "finite",
    ),
    "lhs-nan-bound": experiment_case(
        design({"type": "lhs", "samples": 4, "parameters": {RANGE: {"low": float("nan"), "high": 2.0}}}),
        "finite",
    ),
    "lhs-reversed": experiment_case(
        design({"type": "lhs", "samples": 4, "parameters": {RANGE: {"low": 5.0, "high": 2.0}}}), "below high"
    ),
    "lhs-missing-high": experiment_case(
        design({"type": "lhs", "samples": 4, "parameters": {RANGE: {"low": 5.0}}}), "high"
    ),
    "lhs-text-bound": experiment_case(
        design({"type": "lhs", "samples": 4, "parameters": {RANGE: {"low": "a", "high": 2.0}}}), "low"
    ),
    "lhs-out-of-range": experiment_case(
        design(
            {
                "type": "lhs",
                "samples": 4,
                "parameters": {"population.refusal_share": {"low": 0.5, "high": 3.0}},
            }
        ),
        "out of range",
    ),
    "sobol-inf-bound": experiment_case(
        design({"type": "sobol", "samples": 4, "parameters": {RANGE: {"low": -float("inf"), "high": 2.0}}}),
        "finite",
    ),
    "sobol-too-large": experiment_case(
        design(
            {
                "type": "sobol",
                "samples": 1_000_000,
                "parameters": {
                    RANGE: {"low": 1.0, "high": 2.0},
                    "population.refusal_share": {"low": 0.0, "high": 0.5},
                },
            }
        ),
        "4,000,000 points",
    ),
    "morris-no-parameters": experiment_case(
        design({"type": "morris", "samples": 4}), "at least one parameter"
    ),
    "points-empty": experiment_case(design({"type": "points"}), "list of points"),
    "points-list-value": experiment_case(
        design({"type": "points", "points": [{RANGE: [1.0]}]}), "not a list"
    ),
    "points-whole-number": experiment_case(
        design({"type": "points", "points": [{"population.n_clients": 20.5}]}), "whole number"
    ),
    "points-mix-point": experiment_case(
        design({"type": "points", "points": [{"population.relation_mix.family": 0.9}]}), "design.points[0]"
    ),
    "points-not-mappings": experiment_case(design({"type": "points", "points": [1]}), "design.points"),
    "csv-no-file": experiment_case(design({"type": "csv"}), "design.file"),
    "csv-missing": experiment_case(design({"type": "csv", "file": "nope.csv"}), "not found"),
    "csv-folder": Case(
        lambda d: (
            (d / "points.csv").mkdir() or ["sweep", str(d / "e.yaml"), "--executor", "serial", "--quiet"]
        ),
        {"e.yaml": yaml.safe_dump(design({"type": "csv", "file": "points.csv"}))},
        "is a folder",
    ),
    "csv-empty-file": csv_case("", "empty"),
    "csv-header-only": csv_case(f"{RANGE}\n", "no points"),
    "csv-empty-cell": csv_case(
        f"{RANGE},population.refusal_share\n4.0,\n5.0,0.2\n", "line 2, column population.refusal_share"
    ),
    "csv-nan-cell": csv_case(f"{RANGE}\nnan\n", "finite"),
    "csv-inf-cell": csv_case(f"{RANGE}\n4.0\ninf\n", "line 3"),
    "csv-whole-number": csv_case("population.n_clients\n20\n20.5\n", "line 3, column population.n_clients"),
    "csv-text-cell": csv_case(f"{RANGE}\nmany\n", "line 2"),
    "csv-out-of-range": csv_case("population.refusal_share\n0.2\n1.5\n", "line 3"),
    "csv-ragged": csv_case(f"{RANGE}\n4.0,5.0\n", "line 2 has 2 values"),
    "csv-duplicate-column": csv_case(f"{RANGE},{RANGE}\n4.0,5.0\n", "twice"),
    "csv-unknown-column": csv_case("nope\n1\n", "nope"),
    "csv-empty-column-name": csv_case(f"{RANGE},\n4.0,1\n", "empty column name"),
    "csv-binary": csv_case(b"\xff\xfe\x00\x01\x89PNG", "cannot be read"),
    "csv-mix-point": csv_case("population.relation_mix.family\n0.4\n0.9\n", "line 3"),
}

# --- snf report ------------------------------------------------------------------------------------
CASES |= {
    "report-no-folder": report_case(lambda f: None, "no such folder"),
    "report-not-results": report_case(write("x.txt", "x"), "not a comparison"),
    "report-truncated-manifest": report_case(then(comparison, truncate("manifest.json")), "damaged"),
    "report-manifest-a-list": report_case(then(comparison, write("manifest.json", "[1]")), "not a manifest"),
    "report-manifest-of-a-run": report_case(
        then(comparison, write("manifest.json", json.dumps({"kind": "run"}))), "not a comparison's manifest"
    ),
    "report-empty-summary": report_case(then(comparison, write("summary.csv", "")), "summary.csv"),
    "report-header-only-summary": report_case(
        then(comparison, write("summary.csv", "strategy,outcome,mean,ci_low,ci_high,diff_vs_baseline\n")),
        "summary.csv",
    ),
    "report-foreign-summary": report_case(
        then(comparison, write("summary.csv", "a,b\n1,2\n")), "summary.csv"
    ),
    "report-binary-weekly": report_case(
        then(lambda f: comparison(f, digests=False), write("weekly.csv", "\x00\x01")), "weekly.csv"
    ),
    "report-other-run-tables": report_case(then(comparison, other_run), "another run"),
    "report-other-run-strategies": report_case(
        then(
            lambda f: comparison(f, digests=False),
            lambda f: comparison(f.parent / "o", strategies=("care_as_usual",)),
        ),
        "",
    ),
    "report-analysis-without-tables": report_case(
        then(comparison, write("decompose/manifest.json", json.dumps({"kind": "decompose"}))),
        "decomposition.csv",
    ),
    "report-analysis-truncated-manifest": report_case(
        then(comparison, write("validate/manifest.json", '{"kind": "valid')), "damaged"
    ),
    "report-analysis-foreign-table": report_case(
        then(
            comparison,
            write("threshold-map/manifest.json", json.dumps({"kind": "threshold_map"})),
            write("threshold-map/thresholds.csv", "x\n1\n"),
        ),
        "thresholds.csv",
    ),
    "report-out-is-summary": report_case(comparison, "one of the report's inputs", out="summary.csv"),
    "report-out-is-manifest": report_case(comparison, "one of the report's inputs", out="manifest.json"),
    "report-out-is-folder": report_case(comparison, "is a folder", out="."),
    "report-out-below-a-file": report_case(comparison, "is a file", out="summary.csv/report.html"),
}


def _mismatched_strategies(folder: Path) -> None:
    comparison(folder, digests=False)
    manifest = json.loads((folder / "manifest.json").read_text())
    manifest["strategies"] = {"care_as_usual": {}}
    (folder / "manifest.json").write_text(json.dumps(manifest))


CASES["report-other-run-strategies"] = report_case(_mismatched_strategies, "another run")


def test_there_are_enough_cases():
    assert len(CASES) >= 100


@pytest.mark.parametrize("name", sorted(CASES))
def test_malformed_input_gives_one_short_message_and_exit_2(name, tmp_path, capsys):
    case = CASES[name]
    for file_name, content in case.files.items():
        target = tmp_path / file_name
        if isinstance(content, bytes):
            target.write_bytes(content)
        else:
            target.write_text(content, encoding="utf-8")
    args = case.args(tmp_path)
    before = {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()}
    out = tmp_path / "out"
    if args[0] != "report":
        args += ["--out", str(out)]
    code = main(args)
    captured = capsys.readouterr()
    err = captured.err
    short = err.replace(str(tmp_path), "T").replace(str(SCENARIO_DIR), "S")
    assert code == 2, (code, err[:500])
    assert "Traceback" not in err
    assert err.startswith(f"snf {args[0]}: error: "), err[:500]
    assert err.count("\n") == 1, err[:1000]
    assert len(short) <= MAX_MESSAGE, short
    assert case.expect in err, (case.expect, err)
    assert not out.exists()
    after = {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()}
    assert after == before  # nothing written, nothing overwritten
