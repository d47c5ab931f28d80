"""The `snf` command line: run, compare, list scenarios and strategies, document parameters.

Bad input (a scenario that does not validate, an unknown strategy, a bad `--set`) stops with one
clear message on stderr and exit status 2, before anything is written. Runs that fail while
running give exit status 1.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from simulation.commands.common import UsageError
from simulation.scenarios import (
    ScenarioError,
    list_scenarios,
    load_scenario,
    parse_set_options,
    scenario_path,
)

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {value}")
    return value


def _seed(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if not 0 <= value < 2**63:
        raise argparse.ArgumentTypeError(f"must be between 0 and 2^63-1, got {value}")
    return value


def _add_scenario_options(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--scenario",
        default="default",
        metavar="PATH",
        help="scenario file, or the name of one in scenarios/ (default: default)",
    )
    p.add_argument(
        "--set",
        dest="overrides",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="change a scenario value, dotted keys as in the file (e.g. population.refusal_share=0.5); "
        "repeatable, validated like the file",
    )
    p.add_argument("--weeks", type=_positive_int, help="weeks to simulate (default: the scenario's)")


def _add_execution_options(p: argparse.ArgumentParser, out_default: str, lang: bool = True) -> None:
    """Where runs execute, where results go, resuming, language and progress: shared by every
    command that runs a sweep."""
    p.add_argument(
        "--executor",
        choices=("serial", "processes", "dask"),
        default="processes",
        help="where runs execute (default processes: all local cores)",
    )
    p.add_argument("--workers", type=_positive_int, help="processes or Dask workers (default: all cores)")
    p.add_argument("--out", type=Path, help=f"output folder (default {out_default})")
    p.add_argument(
        "--resume",
        action="store_true",
        help="continue an interrupted run in --out, doing only what is missing",
    )
    if lang:
        p.add_argument("--lang", choices=("en", "nl"), default="en", help="language of the figures")
    p.add_argument("--quiet", action="store_true", help="no progress bar")


def _add_analysis_options(p: argparse.ArgumentParser, reps: int, name: str) -> None:
    _add_scenario_options(p)
    p.add_argument("--reps", type=_positive_int, default=reps, help=f"replications (default {reps})")
    p.add_argument("--seed", type=_seed, default=1, help="root seed (default 1)")
    _add_execution_options(p, f"results/{name}-SCENARIO")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="snf",
        description="Network support for homeless people in Dutch shelters: an agent-based model.",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    p = sub.add_parser(
        "run",
        help="one simulation: weekly.csv, clients.csv, manifest.json",
        description="Run one simulation and write its weekly series, its clients and a manifest.",
    )
    _add_scenario_options(p)
    p.add_argument("--strategy", default="flexible", help="strategy name (see `snf strategies`)")
    p.add_argument("--seed", type=_seed, default=1, help="seed that fixes every random draw (default 1)")
    p.add_argument("--out", type=Path, help="output folder (default results/run-SCENARIO-STRATEGY-seedN)")
    p.set_defaults(handler=cmd_run)

    p = sub.add_parser(
        "compare",
        help="paired replications of strategies: runs.csv, summary.csv, figures",
        description="Run strategies side by side with common random numbers: every strategy sees the "
        "same clients, networks and draws in each replication, so differences are paired.",
    )
    _add_scenario_options(p)
    p.add_argument(
        "--strategies",
        default="care_as_usual,resource,flexible",
        help="comma-separated strategy names; the first is the baseline "
        "(default care_as_usual,resource,flexible)",
    )
    p.add_argument("--reps", type=_positive_int, default=20, help="replications per strategy (default 20)")
    p.add_argument("--seed", type=_seed, default=1, help="root seed for the replication seeds (default 1)")
    p.add_argument("--jobs", type=_positive_int, default=1, help="parallel processes (default 1)")
    p.add_argument("--out", type=Path, help="output folder (default results/compare-SCENARIO)")
    p.add_argument("--lang", choices=("en", "nl"), default="en", help="language of the figures")
    p.add_argument("--resume", action="store_true", help="continue an interrupted comparison in --out")
    p.add_argument(
        "--intervals",
        choices=("t", "bootstrap"),
        default="t",
        help="95%% intervals: t-based (default) or percentile bootstrap over replications",
    )
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.set_defaults(handler=cmd_compare)

    p = sub.add_parser(
        "sweep",
        help="run an experiment file: designs, replications, resumable storage, local cores or Dask",
        description="Run an experiment file (see experiments/). Each finished run is written to disk at "
        "once; after an interruption, --resume runs only what is missing.",
    )
    p.add_argument("experiment", help="experiment file, or the name of one in experiments/")
    _add_execution_options(p, "results/sweep-NAME", lang=False)
    p.add_argument(
        "--scheduler",
        metavar="ADDRESS",
        help="address of a running Dask scheduler, e.g. tcp://10.0.0.5:8786 (with --executor dask)",
    )
    p.add_argument("--retry-failed", action="store_true", help="with --resume: also rerun runs that failed")
    p.add_argument("--replications", type=_positive_int, help="override the experiment's replications")
    p.set_defaults(handler=cmd_sweep)

    p = sub.add_parser(
        "decompose",
        help="bottleneck decomposition: each knob's share of the gap between two strategies (Shapley)",
        description="Switch the knobs that separate two strategies in all combinations, on the same "
        "seeds, and attribute the difference in each outcome to each knob with Shapley values.",
    )
    _add_analysis_options(p, reps=10, name="decompose")
    p.add_argument(
        "--from", dest="from_", default="resource", help="strategy to start from (default resource)"
    )
    p.add_argument("--to", default="flexible", help="strategy to arrive at (default flexible)")
    p.add_argument("--knobs", help="comma-separated knobs to switch (default: the five that differ)")
    p.set_defaults(handler=cmd_decompose)

    p = sub.add_parser(
        "mechanisms",
        help="mechanism knockouts: how much of each strategy's effect depends on each mechanism",
        description="Switch each mechanism off in turn (care as usual included) and report the share of "
        "each strategy's effect that depends on it, and the mediation of the housing effect.",
    )
    _add_analysis_options(p, reps=10, name="mechanisms")
    p.add_argument(
        "--strategies",
        default="resource,flexible",
        help="strategies to assess against care_as_usual (default resource,flexible)",
    )
    p.set_defaults(handler=cmd_mechanisms)

    p = sub.add_parser(
        "validate",
        help="pattern checks: known patterns reproduced, and gone when their cause is removed",
        description="Run the pattern checks of the brief (section 5.6) and print pattern, expected, "
        "simulated with interval, pass or fail. Exit status 0 only when all pass.",
    )
    _add_analysis_options(p, reps=20, name="validate")
    p.set_defaults(handler=cmd_validate)

    p = sub.add_parser(
        "sensitivity",
        help="global sensitivity over the assumed parameters: Morris screening, then Sobol indices",
        description="Morris screening over every parameter tagged as an assumption (default +-50%% "
        "around its value), then Sobol first-order and total indices (SALib) over the most influential "
        "ones, for the key outcomes and for the difference between strategies.",
    )
    _add_analysis_options(p, reps=2, name="sensitivity")
    p.add_argument(
        "--strategies",
        default="resource,flexible",
        help="strategies; differences are each later one minus the first (default resource,flexible)",
    )
    p.add_argument(
        "--method",
        choices=("morris", "sobol", "both"),
        default="both",
        help="screening, indices, or both (default both: Sobol over the top Morris parameters)",
    )
    p.add_argument("--trajectories", type=_positive_int, default=6, help="Morris trajectories (default 6)")
    p.add_argument(
        "--samples",
        type=_positive_int,
        default=16,
        help="Sobol base samples N, a power of two (default 16; 512 for publication)",
    )
    p.add_argument(
        "--top", type=_positive_int, default=6, help="parameters carried from Morris to Sobol (default 6)"
    )
    p.add_argument("--levels", type=_positive_int, default=4, help="Morris grid levels (default 4)")
    p.add_argument(
        "--spread", type=float, default=0.5, help="range around each default, +-share (default 0.5)"
    )
    p.add_argument("--parameters", help="comma-separated parameter paths to vary instead of all assumptions")
    p.set_defaults(handler=cmd_sensitivity)

    p = sub.add_parser(
        "threshold-map",
        help="where the strict method reaches most of what flexible support achieves (heatmap)",
        description="Run the threshold-map experiment (network size x refusal share x stramien tolerance) "
        "and map the strict strategy's outcome as a share of the flexible one's.",
    )
    p.add_argument(
        "experiment",
        nargs="?",
        default="threshold_map",
        help="experiment file or name in experiments/ (default threshold_map)",
    )
    p.add_argument("--replications", type=_positive_int, help="override the experiment's replications")
    p.add_argument(
        "--outcome", default="has_support_group", help="outcome to map (default has_support_group)"
    )
    p.add_argument(
        "--reach",
        type=float,
        default=0.8,
        help="share of the flexible result that counts as 'reaching' it (default 0.8)",
    )
    p.add_argument("--strict", default="resource", help="the strict strategy (default resource)")
    p.add_argument("--flexible", default="flexible", help="the flexible strategy (default flexible)")
    _add_execution_options(p, "results/threshold-map-NAME")
    p.set_defaults(handler=cmd_threshold_map)

    p = sub.add_parser(
        "report",
        help="a self-contained HTML report (English or Dutch) from a results folder",
        description="Write one HTML file with the figures embedded (opens offline) from the results of "
        "`make run` or `snf compare` (plus decompose, mechanisms, threshold-map and validate in "
        "sub-folders).",
    )
    p.add_argument("results", type=Path, help="results folder, e.g. results/default")
    p.add_argument("--lang", choices=("en", "nl"), default="en", help="language (default en)")
    p.add_argument("--out", type=Path, help="HTML file to write (default RESULTS/report_LANG.html)")
    p.set_defaults(handler=cmd_report)

    p = sub.add_parser(
        "app",
        help="the interactive page in the browser (solara), served on 127.0.0.1",
        description="Serve the interactive page: choose scenario and strategy, move the main knobs, watch "
        "the open shelter (clients' networks, exits by route, support) week by week. Stop with Ctrl-C.",
    )
    p.add_argument(
        "--host", default="127.0.0.1", help="address to bind (default 127.0.0.1: this machine only)"
    )
    p.add_argument("--port", type=int, default=8765, help="port (default 8765; 0 picks a free one)")
    p.add_argument("--open", action="store_true", help="open the page in the default browser")
    p.set_defaults(handler=cmd_app)

    p = sub.add_parser(
        "scenarios",
        help="list the scenario files with a one-line description",
        description="List the scenario files in scenarios/ with a one-line description.",
    )
    p.set_defaults(handler=cmd_scenarios)

    p = sub.add_parser(
        "strategies",
        help="list the strategies and their knobs",
        description="List the registered strategies (and a scenario's own) with their knobs.",
    )
    p.add_argument("--scenario", default=None, metavar="PATH", help="also list this scenario's strategies")
    p.set_defaults(handler=cmd_strategies)

    p = sub.add_parser(
        "params",
        help="the parameter table (from the schema)",
        description="Print the parameter table generated from the schema, or write "
        "docs/parameters.md and scenarios/default.yaml from it.",
    )
    p.add_argument("--write", action="store_true", help="write docs/parameters.md and scenarios/default.yaml")
    p.set_defaults(handler=cmd_params)
    return parser


def _scenario(args: argparse.Namespace):
    overrides = parse_set_options(args.overrides)
    scenario = load_scenario(args.scenario, overrides)
    return scenario, str(scenario_path(args.scenario))


def cmd_run(args: argparse.Namespace) -> int:
    from simulation.commands.common import check_strategies, prepare_out
    from simulation.commands.run import run_single

    scenario, source = _scenario(args)
    check_strategies([args.strategy], scenario)
    weeks = args.weeks or scenario.weeks
    out = args.out or Path("results") / f"run-{scenario.name}-{args.strategy}-seed{args.seed}"
    prepare_out(out)
    outcomes = run_single(scenario, source, args.strategy, args.seed, weeks, out)
    print(f"{args.strategy} on {scenario.name}, seed {args.seed}, {weeks} weeks -> {out}")
    for key in (
        "has_support_group",
        "formal_group",
        "perceived_support",
        "housed",
        "dropped_out",
        "professional_hours_per_client",
    ):
        print(f"  {key:32s} {outcomes[key]:.3f}")
    return EXIT_OK


def cmd_compare(args: argparse.Namespace) -> int:
    from simulation.commands.common import check_strategies, prepare_out
    from simulation.commands.compare import compare, comparison_experiment, format_crn, format_table

    scenario, source = _scenario(args)
    strategies = check_strategies([s.strip() for s in args.strategies.split(",") if s.strip()], scenario)
    experiment = comparison_experiment(
        source,
        parse_set_options(args.overrides),
        strategies,
        args.reps,
        args.seed,
        args.weeks,
        name=f"compare-{scenario.name}",
    )
    out = args.out or Path("results") / f"compare-{scenario.name}"
    prepare_out(out)
    result = compare(
        experiment,
        args.jobs,
        out,
        resume=args.resume,
        quiet=args.quiet,
        lang=args.lang,
        interval=args.intervals,
    )
    if len(result.summary):
        print(format_table(result.summary))
    if len(result.crn):
        print("\n" + format_crn(result.crn))
    print(f"\n{experiment.n_runs} runs ({args.reps} replications x {len(strategies)} strategies) -> {out}")
    if result.failures:
        print(f"{len(result.failures)} run(s) failed; tracebacks in {out / 'manifest.json'}", file=sys.stderr)
        return EXIT_FAILED
    return EXIT_OK


def cmd_sweep(args: argparse.Namespace) -> int:
    from simulation.commands.common import prepare_out
    from simulation.commands.sweep import print_report, sweep
    from simulation.experiments.spec import load_experiment

    changes = {}
    if args.replications:
        changes["replications"] = args.replications
    experiment = load_experiment(args.experiment, changes)
    if args.executor != "dask" and args.scheduler:
        raise UsageError("--scheduler only applies to --executor dask")
    out = args.out or Path("results") / f"sweep-{experiment.spec.name}"
    prepare_out(out)
    try:
        outcome = sweep(
            experiment,
            out,
            args.executor,
            args.workers,
            args.scheduler,
            args.resume,
            args.retry_failed,
            args.quiet,
        )
    except KeyboardInterrupt:
        print(
            f"interrupted; finished runs are saved in {out}. Continue with:\n"
            f"  snf sweep {args.experiment} --out {out} --resume",
            file=sys.stderr,
        )
        return 130
    print_report(outcome)
    return EXIT_FAILED if outcome.failures else EXIT_OK


def _analysis_out(args: argparse.Namespace, name: str, scenario_name: str) -> Path:
    """The output folder (created only once the analysis has checked its arguments)."""
    out = args.out or Path("results") / f"{name}-{scenario_name}"
    if out.exists() and not out.is_dir():
        raise UsageError(f"--out {out}: exists and is not a folder")
    return out


def cmd_decompose(args: argparse.Namespace) -> int:
    from simulation.commands.common import check_strategies
    from simulation.commands.decompose import format_decomposition, run_decompose

    scenario, source = _scenario(args)
    check_strategies([args.from_, args.to], scenario)
    knobs = [k.strip() for k in args.knobs.split(",") if k.strip()] if args.knobs else None
    out = _analysis_out(args, "decompose", scenario.name)
    table = run_decompose(
        source,
        parse_set_options(args.overrides),
        args.from_,
        args.to,
        knobs,
        args.reps,
        args.seed,
        args.weeks,
        out,
        args.executor,
        args.workers,
        args.resume,
        args.quiet,
        args.lang,
    )
    print(format_decomposition(table))
    print(f"\n-> {out}")
    return EXIT_OK


def cmd_mechanisms(args: argparse.Namespace) -> int:
    from simulation.commands.common import check_strategies
    from simulation.commands.mechanisms import format_knockouts, run_mechanisms

    scenario, source = _scenario(args)
    strategies = check_strategies([s.strip() for s in args.strategies.split(",") if s.strip()], scenario)
    out = _analysis_out(args, "mechanisms", scenario.name)
    table, mediated = run_mechanisms(
        source,
        parse_set_options(args.overrides),
        strategies,
        args.reps,
        args.seed,
        args.weeks,
        out,
        args.executor,
        args.workers,
        args.resume,
        args.quiet,
        args.lang,
    )
    print(format_knockouts(table, mediated))
    print(f"\n-> {out}")
    return EXIT_OK


def cmd_validate(args: argparse.Namespace) -> int:
    from simulation.commands.validate import format_validation, run_validate

    scenario, source = _scenario(args)
    if args.weeks:
        raise UsageError("validate sets the weeks of each pattern itself; drop --weeks")
    out = _analysis_out(args, "validate", scenario.name)
    table = run_validate(
        source,
        parse_set_options(args.overrides),
        args.reps,
        args.seed,
        out,
        args.executor,
        args.workers,
        args.resume,
        args.quiet,
        args.lang,
    )
    print(format_validation(table))
    print(f"\n-> {out}")
    return EXIT_OK if table["passed"].all() else EXIT_FAILED


def cmd_sensitivity(args: argparse.Namespace) -> int:
    from simulation.commands.common import check_strategies
    from simulation.commands.sensitivity import format_sensitivity, run_sensitivity

    scenario, source = _scenario(args)
    strategies = check_strategies([s.strip() for s in args.strategies.split(",") if s.strip()], scenario)
    parameters = [p.strip() for p in args.parameters.split(",") if p.strip()] if args.parameters else None
    out = _analysis_out(args, "sensitivity", scenario.name)
    result = run_sensitivity(
        source,
        parse_set_options(args.overrides),
        strategies,
        args.method,
        args.trajectories,
        args.samples,
        args.top,
        args.reps,
        args.seed,
        args.weeks,
        out,
        args.executor,
        args.workers,
        args.resume,
        args.quiet,
        args.lang,
        levels=args.levels,
        spread=args.spread,
        parameters=parameters,
    )
    print(format_sensitivity(result))
    print(f"\n-> {out}")
    return EXIT_OK


def cmd_threshold_map(args: argparse.Namespace) -> int:
    from simulation.commands.thresholds import format_thresholds, run_threshold_map

    table = run_threshold_map(
        args.experiment,
        args.replications,
        args.outcome,
        args.reach,
        args.out,
        args.executor,
        args.workers,
        args.resume,
        args.quiet,
        args.lang,
        strict=args.strict,
        flexible=args.flexible,
    )
    print(format_thresholds(table))
    return EXIT_OK


def cmd_report(args: argparse.Namespace) -> int:
    from simulation.report.build import ReportError, write_report

    try:
        path = write_report(args.results, args.lang, args.out)
    except ReportError as e:
        raise UsageError(str(e)) from None
    print(f"wrote {path}")
    return EXIT_OK


def cmd_app(args: argparse.Namespace) -> int:
    from simulation.app.server import serve

    if not 0 <= args.port <= 65535:
        raise UsageError(f"--port {args.port}: must be between 0 and 65535")
    return serve(host=args.host, port=args.port, open_browser=args.open)


def cmd_scenarios(args: argparse.Namespace) -> int:
    infos = list_scenarios()
    if not infos:
        print("no scenario files found in scenarios/")
    width = max((len(i.path.name) for i in infos), default=0)
    for info in infos:
        print(f"{info.path.name:{width}s}  {info.description}")
    return EXIT_OK


def cmd_strategies(args: argparse.Namespace) -> int:
    from simulation.model.strategies import KNOBS, make_strategy, strategy_names

    scenario = load_scenario(args.scenario) if args.scenario else None
    for name in strategy_names(scenario):
        s = make_strategy(name, scenario).settings
        knobs = (
            ", ".join(f"{k}={getattr(s, k)}" for k in KNOBS)
            if s.offers_network_support
            else ("no network work")
        )
        print(f"{name}\n  {s.description}\n  {knobs}")
    return EXIT_OK


def cmd_params(args: argparse.Namespace) -> int:
    from simulation.reference import parameters_markdown, write_reference

    if args.write:
        for path in write_reference():
            print(f"wrote {path}")
    else:
        print(parameters_markdown())
    return EXIT_OK


def main(argv: Sequence[str] | None = None) -> int:
    from simulation.experiments.spec import ExperimentError
    from simulation.experiments.store import StoreError
    from simulation.experiments.sweep import CodeChanged
    from simulation.provenance import set_command

    parser = build_parser()
    args = parser.parse_args(argv)
    set_command(["snf", *(sys.argv[1:] if argv is None else argv)])
    handler: Callable[[argparse.Namespace], int] = args.handler
    try:
        return handler(args)
    except (ScenarioError, UsageError, ExperimentError, StoreError) as e:
        print(f"snf {args.command}: error: {e}", file=sys.stderr)
        return EXIT_USAGE
    except CodeChanged as e:
        print(f"snf {args.command}: stopped: {e}", file=sys.stderr)
        return EXIT_FAILED
    except KeyboardInterrupt:
        print(f"snf {args.command}: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
