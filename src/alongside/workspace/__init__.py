"""The staff workspace: caseload and a person's overview."""
