"""Reading YAML content files safely.

Only the safe loader (``yaml.CSafeLoader``, else ``yaml.SafeLoader``) is used (never ``yaml.load`` with the full loader), and
a key that appears twice in one mapping is an error instead of "last one wins",
so an editing slip in a content file is reported rather than silently dropped.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from imworkbook.base.errors import ContentError, Problem, place, reason_of


class _DuplicateKey(yaml.MarkedYAMLError):
    pass


# libyaml's parser when PyYAML has it (about 10x faster), with the same safe constructor either way
_SafeBase = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _StrictSafeLoader(_SafeBase):  # type: ignore[misc, valid-type]
    def construct_mapping(self, node, deep=False):
        seen: dict[Any, Any] = {}
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            try:
                hash(key)
            except TypeError:
                raise yaml.constructor.ConstructorError(
                    "bij het lezen van een mapping", node.start_mark,
                    "een sleutel mag geen lijst of mapping zijn", key_node.start_mark) from None
            if key in seen:
                exc = _DuplicateKey("mapping", node.start_mark, f"duplicate key {key!r}", key_node.start_mark)
                exc.key = key
                raise exc
            seen[key] = True
        return super().construct_mapping(node, deep=deep)


def read_yaml(path: Path, shown_as: str | None = None) -> Any:
    """Parse one YAML file; raise :class:`ContentError` with file, line and column."""
    name = shown_as or str(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise ContentError(Problem(name, "", "file.not_found", {"path": name})) from None
    except UnicodeDecodeError as exc:
        raise ContentError(Problem(name, place("byte", byte=exc.start), "content.not_utf8")) from None
    except OSError as exc:
        raise ContentError(Problem(name, "", "file.unreadable", {"why": reason_of(exc)})) from None
    try:
        return yaml.load(text, Loader=_StrictSafeLoader)  # noqa: S506 - strict *safe* loader
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        where = place("line_column", line=mark.line + 1, column=mark.column + 1) if mark else ""
        if isinstance(exc, _DuplicateKey):
            raise ContentError(Problem(name, where, "content.yaml_duplicate_key", {"key": repr(exc.key)})) from None
        raise ContentError(Problem(name, where, "content.invalid_yaml", {"detail": exc.problem or ""})) from None
    except yaml.YAMLError as exc:
        raise ContentError(Problem(name, "", "content.invalid_yaml", {"detail": str(exc)})) from None
    except (ValueError, TypeError) as exc:  # e.g. an impossible date such as 2026-02-30
        raise ContentError(Problem(name, "", "content.invalid_yaml_value", {"detail": str(exc)})) from None
