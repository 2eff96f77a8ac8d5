"""Code that runs in both environments: the Rasa server (.venv/rasa) and the
application (.venv/app). It imports neither Rasa nor SQLAlchemy nor any other
part of the project (tests/test_layout.py checks it)."""
