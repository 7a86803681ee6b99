"""Org units (bureau → departments, school groups → schools) and who belongs where."""
