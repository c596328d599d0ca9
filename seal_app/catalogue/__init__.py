"""The criteria catalogue: versioned YAML files in ``criteria/``, validated on load."""
