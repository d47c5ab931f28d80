"""Documentation generated from the schema cannot drift from it; every default has evidence."""

from __future__ import annotations

import pytest

from simulation.model.evidence import SOURCES, Evidence
from simulation.model.parameters import ScenarioParams, StrategySettings
from simulation.reference import (
    DEFAULT_YAML,
    PARAMETERS_MD,
    default_scenario_yaml,
    parameter_rows,
    parameters_markdown,
)
from simulation.scenarios import load_scenario


def test_the_parameter_table_in_the_docs_is_generated_from_the_schema():
    assert PARAMETERS_MD.read_text(encoding="utf-8") == parameters_markdown(), (
        "docs/parameters.md is out of date: run `snf params --write`"
    )


def test_default_yaml_is_generated_from_the_schema_and_equals_the_defaults():
    assert DEFAULT_YAML.read_text(encoding="utf-8") == default_scenario_yaml(), (
        "scenarios/default.yaml is out of date: run `snf params --write`"
    )
    loaded = load_scenario(DEFAULT_YAML).model_dump(exclude={"name", "description"})
    assert loaded == ScenarioParams().model_dump(exclude={"name", "description"})


def test_every_parameter_says_where_its_default_comes_from():
    rows = parameter_rows() + parameter_rows(StrategySettings)
    assert len(rows) > 60
    for row in rows:
        assert row.evidence in {e.value for e in Evidence}, row.path
        assert row.doc, row.path
        if row.evidence == Evidence.SOURCE:
            assert row.ref in SOURCES, row.path
        if row.ref:
            assert row.ref in SOURCES, row.path


def test_every_reference_is_used_or_listed_in_the_brief_table():
    used = {row.ref for row in parameter_rows() + parameter_rows(StrategySettings) if row.ref}
    assert used <= set(SOURCES)


def test_every_generated_block_has_its_markers_in_its_file():
    from simulation.docs_numbers import BLOCKS, blocks_in

    for name, (path, _) in BLOCKS.items():
        assert name in blocks_in(path), f"{path.name}: markers for {name} are gone"


def test_a_block_that_differs_from_the_models_numbers_counts_as_drifted():
    from simulation.docs_numbers import BLOCKS, blocks_in, drifted

    name = "readme-findings"
    committed = blocks_in(BLOCKS[name][0])[name]
    assert drifted({name: committed}) == []
    assert drifted({name: committed.replace("%", " percent", 1)}) == [name]


def test_the_tutorials_family_last_block_registers_the_strategy(tmp_path):
    """The tutorial's code block is what `scripts/doc-numbers` runs: it must define the strategy."""
    import subprocess
    import sys

    code = (
        "from simulation.docs_numbers import register_tutorial_strategy\n"
        "from simulation.model.strategies import registered_strategies\n"
        "register_tutorial_strategy(); print('family_last' in registered_strategies())"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "True"


@pytest.mark.slow
def test_the_numbers_in_the_readme_and_tutorial_are_what_the_model_gives_now():
    """Rerun what the README and the tutorial quote (minutes): `make docs-numbers` when this fails."""
    import subprocess
    import sys

    done = subprocess.run(
        [sys.executable, "scripts/doc-numbers"],
        capture_output=True,
        text=True,
        cwd=PARAMETERS_MD.parent.parent,
    )
    assert done.returncode == 0, done.stderr
