"""Reading what a message says for a form, whatever question was asked (pure
functions over the text and today's date; no Rasa)."""
