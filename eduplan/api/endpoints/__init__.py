"""One router per resource; ``eduplan.api.api`` mounts them all under /api/."""
