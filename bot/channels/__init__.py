"""Rasa input channels of our own (they run inside the Rasa server, in .venv/rasa)."""
