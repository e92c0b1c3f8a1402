"""Persons (service users) and their stays or episodes of care."""
