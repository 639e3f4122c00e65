"""Schemas shared by the API: errors, the current user, tenants, jobs."""

from marshmallow import Schema, fields, validate


class ProblemSchema(Schema):
    type = fields.String()
    title = fields.String()
    status = fields.Integer()
    detail = fields.String()
    errors = fields.Dict(keys=fields.String(), values=fields.List(fields.String()))


class TenantSchema(Schema):
    slug = fields.String()
    name = fields.String()
    code = fields.String()


class TenantRoleSchema(TenantSchema):
    """The municipality the URL names, with the caller's role there."""

    role = fields.String(
        validate=validate.OneOf(["coordinator", "member"]),
        metadata={"description": "Din roll i kommunen: coordinator eller member"},
    )


class MembershipSchema(Schema):
    tenant = fields.Nested(TenantSchema)
    role = fields.Function(lambda m: m.role.value)


class RegionRoleSchema(Schema):
    region = fields.Nested(TenantSchema)
    role = fields.Function(lambda g: g.role.value)


class MeSchema(Schema):
    id = fields.Integer()
    name = fields.String()
    is_platform_admin = fields.Boolean()
    memberships = fields.List(fields.Nested(MembershipSchema))
    region_roles = fields.List(fields.Nested(RegionRoleSchema))


class JobSchema(Schema):
    id = fields.String()
    task = fields.String()
    status = fields.Function(lambda j: j.status.value)
    progress = fields.Integer()
    message = fields.String(allow_none=True)
    attempts = fields.Integer()
    max_attempts = fields.Integer()
    error = fields.String(allow_none=True)
    created_at = fields.DateTime()
    finished_at = fields.DateTime(allow_none=True)
