"""Organisations, their units (wards, teams) and the roles staff hold in each unit."""
