"""The person's own pages (phone first) and the page for invited supporters."""
