"""Logging in and out, passwords, roles and the permission decorators."""
