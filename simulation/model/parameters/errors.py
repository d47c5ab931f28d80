"""`ParameterError`, and one plain sentence per problem for what pydantic refuses."""

from __future__ import annotations

import difflib
import typing
from typing import Any

from pydantic import BaseModel, ValidationError

from simulation.model.parameters.scenario import ScenarioParams


class ParameterError(ValueError):
    """A parameter change or scenario that does not fit the schema; `problems` says why."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


def _model_at(loc: tuple, root: type[BaseModel]) -> type[BaseModel] | None:
    """The schema class at a location inside a document (for listing allowed keys)."""
    cls: type[BaseModel] | None = root
    parts = list(loc)
    while parts and cls is not None:
        key = str(parts.pop(0))
        field = cls.model_fields.get(key)
        if field is None:
            return None
        ann = field.annotation
        if typing.get_origin(ann) is dict:
            value_type = typing.get_args(ann)[1]
            if not parts:
                return None
            parts.pop(0)  # the entry's own name
            ann = value_type
        cls = ann if isinstance(ann, type) and issubclass(ann, BaseModel) else None
    return cls


def _num(value: Any) -> str:
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return f"{value:g}" if isinstance(value, float) else str(value)


def _allowed(field: Any, ctx: dict[str, Any]) -> str:
    """The whole allowed range of a field (both bounds), from its schema or the error."""
    bounds = dict(ctx)
    for meta in getattr(field, "metadata", []):
        for key in ("ge", "gt", "le", "lt"):
            if getattr(meta, key, None) is not None:
                bounds[key] = getattr(meta, key)
    parts = []
    for key, word in (("ge", "at least"), ("gt", "above"), ("le", "at most"), ("lt", "below")):
        if key in bounds:
            parts.append(f"{word} {_num(bounds[key])}")
    return " and ".join(parts)


#: the most characters of a bad value shown in a message (a value may be a whole file's worth)
EXCERPT = 80


def excerpt(value: Any, limit: int = EXCERPT) -> str:
    """A value as the user wrote it, cut to a short excerpt: messages stay one readable line."""
    text = repr(value[: 4 * limit] if isinstance(value, str) else value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def shorten(text: str, limit: int = EXCERPT) -> str:
    """Plain text (a message, a path) cut to `limit` characters, on one line."""
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _is_union_tag(part: str) -> bool:
    """pydantic names the members of a union in the error location (`list[any]`,
    `function-after[_ordered(), Range]`); no field name has brackets."""
    return "[" in part or "(" in part


def _union_member_words(tag: str) -> str:
    if tag.startswith(("list", "tuple", "set")):
        return "a list of values"
    words = {"int": "a whole number", "float": "a number", "str": "text", "bool": "true or false"}
    if tag in words:
        return words[tag]
    if "range" in tag.lower():
        return "a range {low: .., high: ..}"
    return "a section of key: value pairs"


def _drop_union_mismatches(errors: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Errors from the members of a union that the value plainly is not (a list where a range was
    expected) are noise beside the member that fits; when none fits, one error names them all."""
    sites: dict[tuple, dict[str, list[dict[str, Any]]]] = {}
    plain = []
    for e in errors:
        loc = tuple(str(x) for x in e["loc"])
        cut = next((i for i, part in enumerate(loc) if _is_union_tag(part)), None)
        if cut is None:
            plain.append(e)
            continue
        sites.setdefault(loc[:cut], {}).setdefault(loc[cut], []).append(e)
    out = list(plain)
    for site, branches in sites.items():

        def mismatch(errs: list[dict[str, Any]], site: tuple = site) -> bool:
            return (
                len(errs) == 1 and len(errs[0]["loc"]) == len(site) + 1 and errs[0]["type"].endswith("_type")
            )

        fitting = {tag: errs for tag, errs in branches.items() if not mismatch(errs)}
        if fitting:
            for errs in fitting.values():
                out += errs
        else:
            first = next(iter(branches.values()))[0]
            kinds = " or ".join(dict.fromkeys(_union_member_words(t) for t in branches))
            out.append({"type": "union_mismatch", "loc": site, "input": first.get("input"), "msg": kinds})
    return [{**e, "loc": tuple(str(x) for x in e["loc"] if not _is_union_tag(str(x)))} for e in out]


def _message(e: dict[str, Any]) -> str:
    """pydantic's own sentence without its internals ("Value error, ", "Input should be")."""
    msg = str(e.get("msg", "")).removeprefix("Value error, ").removeprefix("Assertion failed, ")
    return msg.replace("Input should be", "must be").replace("input should be", "must be")


def describe_validation_error(error: ValidationError, root: type[BaseModel] | None = None) -> list[str]:
    """One plain sentence per problem: the key, the value given (a short excerpt), and what is
    allowed. The one formatter for pydantic's errors: no internals (union members, error types,
    links) reach the user."""
    root = root or ScenarioParams
    problems = []
    for e in _drop_union_mismatches(error.errors()):
        loc = tuple(str(x) for x in e["loc"])
        key = ".".join(loc) if loc else "(top level)"
        given = excerpt(e.get("input"))
        kind = e["type"]
        ctx = e.get("ctx") or {}
        if kind == "extra_forbidden":
            parent = _model_at(loc[:-1], root)
            allowed = sorted(parent.model_fields) if parent is not None else []
            close = difflib.get_close_matches(loc[-1], allowed, n=1)
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            shown = listing(allowed, 6 if close else 12)
            problems.append(f"{shorten(key, 120)}: unknown key{hint}; allowed here: {shown}")
            continue
        field = None
        parent = _model_at(loc[:-1], root) if loc else None
        if parent is not None and loc[-1] in parent.model_fields:
            field = parent.model_fields[loc[-1]]
        field_doc = field.description if field is not None and field.description else ""
        about = f" ({shorten(field_doc, 100)})" if field_doc else ""
        if kind in ("greater_than_equal", "greater_than", "less_than_equal", "less_than"):
            value = e.get("input")
            shown = shorten(_num(value)) if isinstance(value, (int, float)) else given
            problems.append(f"{key} = {shown} is out of range: must be {_allowed(field, ctx)}{about}")
        elif kind in ("int_type", "int_from_float", "int_parsing"):
            problems.append(f"{key} = {given}: must be a whole number{about}")
        elif kind in ("float_type", "float_parsing"):
            problems.append(f"{key} = {given}: must be a number{about}")
        elif kind == "finite_number":
            problems.append(f"{key} = {given}: must be a finite number{about}")
        elif kind in ("bool_type", "bool_parsing"):
            problems.append(f"{key} = {given}: must be true or false{about}")
        elif kind == "string_type":
            problems.append(f"{key} = {given}: must be text{about}")
        elif kind == "literal_error":
            problems.append(f"{key} = {given}: must be one of {ctx.get('expected')}{about}")
        elif kind in ("model_type", "dict_type", "model_attributes_type"):
            problems.append(f"{key} = {given}: must be a section of key: value pairs{about}")
        elif kind in ("list_type", "tuple_type", "set_type"):
            problems.append(f"{key} = {given}: must be a list{about}")
        elif kind == "too_short":
            problems.append(f"{key}: needs at least {ctx.get('min_length', 1)} item(s){about}")
        elif kind == "too_long":
            problems.append(f"{key}: takes at most {ctx.get('max_length')} item(s){about}")
        elif kind == "missing":
            problems.append(f"{key}: required but missing{about}")
        elif kind == "union_mismatch":
            problems.append(f"{key} = {given}: must be {e['msg']}{about}")
        elif not loc:  # a rule over the whole document: the caller names it
            problems.append(shorten(_message(e), 160))
        elif isinstance(e.get("input"), dict):  # a rule over a section: its values are in the message
            problems.append(f"{key}: {shorten(_message(e), 160)}{about}")
        else:
            problems.append(f"{key} = {given}: {shorten(_message(e), 160)}{about}")
    return problems


def listing(names: list[str], most: int = 12) -> str:
    """A list of allowed names, cut short where it would drown the message."""
    if len(names) <= most:
        return ", ".join(names)
    return ", ".join(names[:most]) + f", ... ({len(names)} in all; `snf params` lists them)"
