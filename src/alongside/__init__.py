"""Alongside: recovery-oriented care where the person owns their plan.

The package is a Django project split into domain apps ("rooms"); see docs/architecture.md.
"""
