"""The append-only audit log: who read or wrote which person's data, in which role, when and why."""
