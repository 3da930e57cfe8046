"""Backups of the database and the private files together, and the checks of a restore.

A backup is one archive: the database dump, every file under MEDIA_ROOT and a manifest
with each one's size and SHA-256 (archive.py). The database is dumped first and the files
copied after, so a file saved meanwhile is at worst an extra file nothing refers to.
database.py dumps and restores each engine (SQLite by its online backup API, PostgreSQL by
pg_dump's custom format) without ever putting the password on a command line or in the
output; checks.py is what a restore must pass: migrations, check_invariants, and every
file the database refers to present with the checksum recorded when it was saved.
"""
