"""The person's recovery plan: what matters to them, their story, strengths and goals."""
