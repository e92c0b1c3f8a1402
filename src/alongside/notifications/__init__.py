"""In-app notifications: short messages to a user, with a link, read or unread."""
