"""The deterministic demo world generator, also used for large benchmark worlds."""
