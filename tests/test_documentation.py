"""Documentation generated from the schema cannot drift from it; every default has evidence."""

from __future__ import annotations

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
