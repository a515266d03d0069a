"""CSV imports of reference data (knowledge/*.csv or the agency's own exports)."""
