"""Accounts, tokens and sessions hardening: the secret key, the client's address behind a proxy,
login lockout per address, password-reset throttling, idle sessions and security headers."""
