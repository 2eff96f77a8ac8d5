"""Rasa custom actions, one module per feature. The action server imports
every module of this package (``python -m rasa_sdk --actions actions``)."""
