"""Security controls of the command centre: CSP, login throttling, staff sessions, TOTP.

docs/security.md describes the threat model and names the test that proves each control.
"""
