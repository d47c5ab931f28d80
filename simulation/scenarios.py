"""Scenario files: reading, validating and listing them.

A scenario file is YAML with the sections of `ScenarioParams`. Anything wrong (a missing file, bad
YAML, an unknown key, a wrong type, a value out of range, an unknown base strategy) raises
`ScenarioError` with one message naming the file, the key, the value and what is allowed.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from simulation.model.parameters import (
    ParameterError,
    ScenarioParams,
    apply_overrides,
    excerpt,
    shorten,
    validate_scenario,
)
from simulation.model.strategies import block_settings

#: the repository's scenario folder (present in a clone or an editable install)
SCENARIO_DIR = Path(__file__).resolve().parent.parent / "scenarios"


class ScenarioError(ValueError):
    """A scenario or parameter change that cannot be used; the message says exactly why."""


@dataclass(frozen=True)
class ScenarioInfo:
    name: str
    description: str
    path: Path


def scenario_path(name_or_path: str | Path) -> Path:
    """A scenario file path from a path or a bare name (`default` -> scenarios/default.yaml)."""
    path = Path(name_or_path)
    if path.suffix in (".yaml", ".yml") or path.exists():
        return path
    return SCENARIO_DIR / f"{name_or_path}.yaml"


#: limits that keep a hostile or broken file from hanging the tool or flooding the terminal
MAX_FILE_BYTES = 2_000_000
MAX_DEPTH = 50
MAX_ALIAS_GROWTH = 1_000


class InputLimitError(yaml.MarkedYAMLError):
    """YAML that parses but is refused: duplicate keys, too deep, or aliases that expand too far."""


class StrictLoader(yaml.SafeLoader):
    """PyYAML's safe loader that refuses duplicate keys (instead of keeping the last one) and
    nesting deeper than `MAX_DEPTH` (instead of a RecursionError)."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._depth = 0

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self._depth >= MAX_DEPTH:
            raise InputLimitError(
                problem=f"nested more than {MAX_DEPTH} levels deep", problem_mark=self.peek_event().start_mark
            )
        self._depth += 1
        try:
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1

    def construct_mapping(self, node: Any, deep: bool = False) -> Any:
        if isinstance(node, yaml.MappingNode):
            seen: dict[Any, Any] = {}
            for key_node, _ in node.value:
                if key_node.tag == "tag:yaml.org,2002:merge" or not isinstance(key_node, yaml.ScalarNode):
                    continue
                key = self.construct_object(key_node)
                if key in seen:
                    first = seen[key].line + 1
                    raise InputLimitError(
                        problem=f"duplicate key {excerpt(key, 60)} (first at line {first})",
                        problem_mark=key_node.start_mark,
                    )
                seen[key] = key_node.start_mark
        return super().construct_mapping(node, deep=deep)


def _construct_int(loader: StrictLoader, node: yaml.ScalarNode) -> int:
    """A whole number, refusing one too long for Python to convert (more than 4,300 digits)."""
    try:
        return loader.construct_yaml_int(node)
    except ValueError:
        raise InputLimitError(problem="a number with too many digits", problem_mark=node.start_mark) from None


StrictLoader.add_constructor("tag:yaml.org,2002:int", _construct_int)


def _check_expansion(root: yaml.Node) -> None:
    """Refuse aliases that expand a small file into a huge or endlessly deep document (the
    'billion laughs'), and aliases that refer to themselves. Counts the document as it would be
    once every alias is written out, without writing it out."""
    sizes: dict[int, tuple[int, int]] = {}  # id(node) -> (values once expanded, depth once expanded)
    distinct = 0
    on_path: set[int] = set()
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, children_done = stack.pop()
        if id(node) in sizes:
            continue
        children = _children(node)
        if not children_done:
            if id(node) in on_path:
                raise InputLimitError(problem="an alias refers to itself", problem_mark=node.start_mark)
            on_path.add(id(node))
            stack.append((node, True))
            stack.extend((c, False) for c in children if id(c) not in sizes)
            for c in children:
                if id(c) in on_path and id(c) not in sizes:
                    raise InputLimitError(problem="an alias refers to itself", problem_mark=c.start_mark)
            continue
        on_path.discard(id(node))
        distinct += 1
        size = 1 + sum(sizes[id(c)][0] for c in children)
        depth = 1 + max((sizes[id(c)][1] for c in children), default=0)
        if depth > MAX_DEPTH:
            raise InputLimitError(
                problem=f"aliases nest the document more than {MAX_DEPTH} levels deep",
                problem_mark=node.start_mark,
            )
        if size - distinct > MAX_ALIAS_GROWTH:
            raise InputLimitError(
                problem=f"aliases (*name) expand to more than {MAX_ALIAS_GROWTH:,} extra values; "
                "write the values out",
                problem_mark=node.start_mark,
            )
        sizes[id(node)] = (size, depth)


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    if isinstance(node, yaml.MappingNode):
        return [n for pair in node.value for n in pair]
    return []


def parse_yaml(text: str) -> Any:
    """YAML text -> plain data, with the limits of `StrictLoader` and `_check_expansion`."""
    loader = StrictLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        _check_expansion(node)
        return loader.construct_document(node)
    finally:
        loader.dispose()


def yaml_problem(e: yaml.YAMLError) -> str:
    """Where and what, in one short line."""
    mark = getattr(e, "problem_mark", None)
    where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
    problem = getattr(e, "problem", None) or str(e).splitlines()[0]
    return f"{where}: {shorten(problem, 160)}"


def read_yaml(path: Path) -> Any:
    """A YAML file's data, or `ScenarioError` saying in one line why it cannot be used."""
    try:
        if not path.exists():
            raise ScenarioError(f"{path}: file not found")
        if path.is_dir():
            raise ScenarioError(f"{path}: is a folder, not a scenario file")
        if not path.is_file():
            raise ScenarioError(f"{path}: not a regular file")
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise ScenarioError(f"{path}: {size:,} bytes is too large (at most {MAX_FILE_BYTES:,})")
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError, ValueError) as e:
        if isinstance(e, ScenarioError):
            raise
        raise ScenarioError(f"{path}: cannot be read ({shorten(str(e), 120)})") from None
    try:
        return parse_yaml(text)
    except InputLimitError as e:
        raise ScenarioError(f"{path}: refused{yaml_problem(e)}") from None
    except yaml.YAMLError as e:
        raise ScenarioError(f"{path}: not valid YAML{yaml_problem(e)}") from None


#: a name becomes part of a folder name under results/ (`compare-NAME`), so it stays well short
#: of the 255 bytes a file system allows
MAX_NAME_BYTES = 100


def name_problem(name: str) -> str | None:
    """Why a scenario, strategy or experiment name cannot name a folder inside results/, if it cannot."""
    if not name.strip():
        return "must not be empty"
    if len(name.encode("utf-8")) > MAX_NAME_BYTES:
        return f"is {len(name.encode('utf-8'))} bytes long; at most {MAX_NAME_BYTES}"
    if any(c in name for c in "/\\") or not name.isprintable():
        return "may not hold a slash, a backslash, a NUL or other control characters (it names a folder)"
    if name.startswith(".") or name.startswith("-"):
        return "may not start with '.' or '-' (it names a folder)"
    return None


def check_strategies(scenario: ScenarioParams) -> None:
    """Every strategy block must start from a registered strategy and have a usable name."""
    for name, block in scenario.strategies.items():
        problem = name_problem(name)
        if problem:
            raise ParameterError([f"strategies.{excerpt(name)}: the name {problem}"])
        try:
            block_settings(block)
        except KeyError as e:
            raise ParameterError([f"strategies.{name}.base: {e.args[0]}"]) from None
        except ParameterError as e:
            raise ParameterError([f"strategies.{name}: {p}" for p in e.problems]) from None


def load_scenario(name_or_path: str | Path, overrides: dict[str, Any] | None = None) -> ScenarioParams:
    """Read and validate a scenario file, then apply `--set` style changes (validated the same way)."""
    path = scenario_path(name_or_path)
    data = read_yaml(path)
    if data is None:
        data = {}
    try:
        scenario = validate_scenario(data)
        if overrides:
            scenario = apply_overrides(scenario, overrides)
        problem = name_problem(scenario.name)
        if problem:
            raise ParameterError([f"name = {excerpt(scenario.name)}: {problem}"])
        check_strategies(scenario)
    except ParameterError as e:
        raise ScenarioError(format_problems(str(path), e.problems)) from None
    return scenario


def format_problems(source: str, problems: list[str]) -> str:
    if len(problems) == 1:
        return f"{source}: {problems[0]}"
    return f"{source}: {len(problems)} problems:\n" + "\n".join(f"  - {p}" for p in problems)


def parse_set_options(items: Iterable[str]) -> dict[str, Any]:
    """`KEY=VALUE` strings -> a dict; values are read as YAML scalars (`0.3`, `true`, `[1, 2]`)."""
    changes: dict[str, Any] = {}
    for item in items:
        key, sep, raw = item.partition("=")
        key = key.strip()
        if not sep or not key:
            raise ScenarioError(
                f"--set {excerpt(item)}: expected KEY=VALUE, e.g. --set population.n_clients=100"
            )
        if len(key) > 200 or not key.isprintable():
            raise ScenarioError(f"--set {excerpt(key)}: not a parameter name")
        try:
            value = parse_yaml(raw) if raw.strip() else ""
        except InputLimitError as e:
            raise ScenarioError(f"--set {key}: refused{yaml_problem(e)}") from None
        except yaml.YAMLError:
            value = raw
        changes[key] = value
    return changes


def list_scenarios(folder: Path = SCENARIO_DIR) -> list[ScenarioInfo]:
    """The scenario files in a folder, with their one-line descriptions."""
    infos = []
    for path in sorted(folder.glob("*.yaml")):
        try:
            data = read_yaml(path) or {}
        except ScenarioError:
            data = {}
        description = str(data.get("description", "")) if isinstance(data, dict) else ""
        name = str(data.get("name", path.stem)) if isinstance(data, dict) else path.stem
        infos.append(ScenarioInfo(name=name, description=description, path=path))
    return infos
