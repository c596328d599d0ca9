"""Schools, their staff, and the CSV import of the official school list."""
