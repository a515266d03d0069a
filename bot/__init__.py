"""Telegram front end, terminal demo and replay tool; talks to Rasa over HTTP only."""
