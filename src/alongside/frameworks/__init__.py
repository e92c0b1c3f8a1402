"""Reference frameworks (CHIME, practice themes, recovery steps) as data with stable codes."""
