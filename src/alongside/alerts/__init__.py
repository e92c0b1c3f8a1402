"""Not-on-track and risk alerts for measurement-based care."""
