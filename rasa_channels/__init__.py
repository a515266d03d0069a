"""Rasa input channels of the assistant, loaded by Rasa from credentials.yml (module path).

Runs in Rasa's venv (.venv-rasa, Python 3.10, Sanic 21; scripts/rasa_run.py puts the
repository root on the path): nothing here imports the app's venv.
"""
