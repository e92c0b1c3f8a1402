"""The person's care network: who is involved, from which organisation, and what each may see."""
