"""Database layer: declarative base, engines per schema, tenant-bound sessions."""
