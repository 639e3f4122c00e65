"""Platform administration: tenants and accounts."""
