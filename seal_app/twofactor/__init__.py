"""The second factor of a login: TOTP, passkeys, recovery codes, re-authentication, devices."""
