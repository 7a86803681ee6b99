"""The plan comparison page: stored plans fed to ``eduplan.compare``, themes kept per bureau."""
