"""Audit trail inside each municipality's schema: who changed or read what, and when."""
