"""Texts (SMS) for the application: numbers, rendering, the gateway client,
the internal app the Rasa server's sms channel talks to, and the local
gateway for `make run` and the tests."""
