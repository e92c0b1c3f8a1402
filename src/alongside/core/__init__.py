"""Shared plumbing: the page shell, security headers, navigation and the home redirect."""
