"""Backups: one archive with the database and every stored file, checked before restoring."""
