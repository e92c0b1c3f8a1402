"""Logins for staff, persons and invited supporters: the user model, throttled login, language."""
