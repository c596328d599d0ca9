"""Rounds (Vergaberunden): deadline, catalogue version, open or closed."""
