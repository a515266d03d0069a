"""Rasa custom actions (rasa-sdk). Thin: read slots, call parcours services, utter responses.

rasa-sdk imports every submodule of this package and registers each concrete `Action`.
"""
