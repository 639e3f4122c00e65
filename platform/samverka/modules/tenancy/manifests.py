"""Tenant manifests: one TOML file per region and municipality in ``tenants/``."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from marshmallow import (
    RAISE,
    Schema,
    ValidationError,
    fields,
    post_load,
    validate,
    validates_schema,
)

SLUG = validate.Regexp(r"^[a-z0-9]+(-[a-z0-9]+)*$", error="must be lower-case a-z, 0-9 and dashes")


class ManifestError(ValueError):
    """A manifest that cannot be used; the message names the file and the field."""

    def __init__(self, path: Path, field: str, problem: str) -> None:
        self.path, self.field, self.problem = path, field, problem
        super().__init__(f"{path.name}: field '{field}': {problem}")


@dataclass(frozen=True)
class IndicatorFigure:
    indicator: str
    period: str
    value: Decimal
    unit: str
    source: str


@dataclass(frozen=True)
class Manifest:
    path: Path
    kind: str
    slug: str
    name: str
    code: str
    region: str | None
    indicators: tuple[IndicatorFigure, ...]

    @property
    def schema_name(self) -> str | None:
        return f"kommun_{self.code}" if self.kind == "municipality" else None


class IndicatorArgs(Schema):
    class Meta:
        unknown = RAISE

    indicator = fields.String(required=True, validate=validate.Regexp(r"^[a-z0-9_]{1,80}$"))
    period = fields.String(required=True, validate=validate.Length(1, 40))
    value = fields.Decimal(required=True, allow_nan=False)
    unit = fields.String(required=True, validate=validate.Length(1, 40))
    source = fields.String(load_default="", validate=validate.Length(max=300))

    @post_load
    def make(self, data: dict[str, Any], **_: Any) -> IndicatorFigure:
        return IndicatorFigure(**data)


class ManifestArgs(Schema):
    class Meta:
        unknown = RAISE

    kind = fields.String(required=True, validate=validate.OneOf(["region", "municipality"]))
    slug = fields.String(required=True, validate=[validate.Length(2, 64), SLUG])
    name = fields.String(required=True, validate=validate.Length(2, 200))
    code = fields.String(required=True, validate=validate.Regexp(r"^[0-9]{2}([0-9]{2})?$"))
    region = fields.String(load_default=None, validate=SLUG)
    indicators = fields.List(fields.Nested(IndicatorArgs), load_default=list)

    @validates_schema
    def kind_rules(self, data: dict[str, Any], **_: Any) -> None:
        if data.get("kind") == "municipality":
            if len(data.get("code", "")) != 4:
                raise ValidationError("a municipality code has four digits", "code")
            if not data.get("region"):
                raise ValidationError("a municipality names its region's slug", "region")
        if data.get("kind") == "region":
            if len(data.get("code", "")) != 2:
                raise ValidationError("a county code has two digits", "code")
            if data.get("region"):
                raise ValidationError("a region belongs to no region", "region")


def _first_error(messages: Any, prefix: str = "") -> tuple[str, str]:
    """Flatten marshmallow's nested messages to the first (dotted field, message)."""
    if isinstance(messages, dict):
        key, value = next(iter(messages.items()))
        name = key if key != "_schema" else ""
        dotted = ".".join(p for p in (prefix, str(name)) if p)
        return _first_error(value, dotted)
    if isinstance(messages, list) and messages:
        return _first_error(messages[0], prefix)
    return prefix or "(file)", str(messages)


def load_manifest(path: Path) -> Manifest:
    """Parse and validate one manifest, or raise ManifestError naming file and field."""
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ManifestError(path, "(file)", f"not valid TOML: {exc}") from exc
    except UnicodeDecodeError as exc:
        raise ManifestError(path, "(file)", "not UTF-8 text") from exc
    try:
        data = ManifestArgs().load(raw)
    except ValidationError as exc:
        field, problem = _first_error(exc.messages)
        raise ManifestError(path, field, problem) from exc
    if path.stem != data["slug"]:
        raise ManifestError(path, "slug", f"must match the file name ({path.stem})")
    return Manifest(path=path, indicators=tuple(data.pop("indicators")), **data)


def load_manifests(directory: Path) -> list[Manifest]:
    """Load every ``*.toml`` in the folder, regions first; check cross-file rules."""
    if not directory.is_dir():
        raise ManifestError(directory, "(folder)", "tenant manifest folder not found")
    manifests = [load_manifest(p) for p in sorted(directory.glob("*.toml"))]
    regions = {m.slug for m in manifests if m.kind == "region"}
    seen_codes: dict[str, Path] = {}
    for m in manifests:
        if m.region and m.region not in regions:
            raise ManifestError(m.path, "region", f"no region manifest with slug '{m.region}'")
        if m.code in seen_codes:
            raise ManifestError(
                m.path, "code", f"code {m.code} is also in {seen_codes[m.code].name}"
            )
        seen_codes[m.code] = m.path
    return sorted(manifests, key=lambda m: (m.kind != "region", m.slug))
