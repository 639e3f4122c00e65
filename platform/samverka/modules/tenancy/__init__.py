"""Tenants: the region and its municipalities, their schemas and manifests."""
