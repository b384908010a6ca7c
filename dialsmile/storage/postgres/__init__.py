"""PostgreSQL, for a team working one lead pool from many desks: its SQL lives here.

SQLite (the sibling modules of ``dialsmile.storage``) stays the embedded default.
"""
