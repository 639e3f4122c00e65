"""Per-municipality data keys: creation, rotation, re-encryption and crypto-shredding."""
