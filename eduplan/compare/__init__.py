"""Comparing plans: themes, aligned tasks, targets side by side, what changed between years,
and how an annual plan moves a five-year plan along. Pure library code (no database, no
Django): the CLI feeds it parsed files, the web app feeds it stored plans."""
