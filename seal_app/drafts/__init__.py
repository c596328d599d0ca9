"""Nothing typed is lost when a login ends: kept drafts and the warning before a session ends."""
