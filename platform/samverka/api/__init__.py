"""JSON API: marshmallow schemas, an OpenAPI 3 document, one problem+json error format."""
