"""The municipal database: typed models, one sessionmaker, repository functions.

Repository functions take a session and never commit; the caller owns the
transaction (``with Session.begin():``; the actions' one template is
actions/transaction.py). No SQL outside this package (tests/test_layout.py).
"""
