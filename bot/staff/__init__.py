"""The staff app: where staff review, answer and close escalated conversations."""
