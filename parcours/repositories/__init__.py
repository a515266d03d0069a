"""Repositories: keyword-only functions taking a Session; they flush at most, never commit."""
