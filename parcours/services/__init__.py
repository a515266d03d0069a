"""Use cases that span repositories; callers own the unit of work."""
