"""Accounts, memberships, roles, log-in and personal access tokens (shared schema)."""
