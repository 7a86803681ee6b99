"""The audit log: who changed what, with the values before and after."""
