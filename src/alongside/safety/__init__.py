"""Safety and choice: the person's crisis plan, findable in a crisis, and break-the-glass access."""
