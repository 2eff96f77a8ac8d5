"""Code that runs inside the Rasa server (.venv/rasa): its launcher with the
few changes to Rasa that have no extension point, the socket.io channel for
the widget, the danger layer's NLU components and the spaCy pipeline. It
imports Rasa and bot.shared, never application code (tests/test_layout.py)."""
