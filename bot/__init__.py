"""Municipal assistant: everything that is not a Rasa custom action."""
