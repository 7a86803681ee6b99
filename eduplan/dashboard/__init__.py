"""The leaders' view: completion by section and department, warnings, overdue work."""
