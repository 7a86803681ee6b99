"""Plans, their tasks and targets, who does them, and the progress they report."""
