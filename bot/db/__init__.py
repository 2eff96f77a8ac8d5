"""The municipal database: typed models, one sessionmaker, repository functions.

Repository functions take a session and never commit; the caller owns the
transaction (``with Session.begin():``).
"""
