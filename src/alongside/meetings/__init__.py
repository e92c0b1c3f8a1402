"""Network meetings (Open Dialogue style) and the actions agreed in them, on owners' task lists."""
