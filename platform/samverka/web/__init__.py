"""Base request handling: tenant → user → access → process → commit, and errors."""
