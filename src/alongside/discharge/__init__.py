"""Discharge readiness: the configurable checklist, overrides and the handover summary."""
