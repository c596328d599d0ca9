"""Home pages per role, health check, language choice."""
