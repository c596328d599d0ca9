"""E-mail: every message goes through the outbox and is sent by the task queue."""
