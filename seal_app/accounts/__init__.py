"""User accounts managed by the district office, and access requests from schools."""
