"""The region's view: anonymised aggregates per municipality, written to the shared schema."""
