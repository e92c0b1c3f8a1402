"""The working relationship: contacts and time spent together."""
