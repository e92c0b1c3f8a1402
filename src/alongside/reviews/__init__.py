"""Coordinated plan reviews: review rules per organisation and the joint reviews themselves."""
