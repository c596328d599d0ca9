"""Audit log of the state changes that matter."""
