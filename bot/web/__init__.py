"""The local web page with the chat (and later the staff app)."""
