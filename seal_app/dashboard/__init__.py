"""The office's dashboard: the open round at a glance (applications by state, submissions per
week, the assessors' progress, overdue requests), seals expiring and schools without an
account."""
