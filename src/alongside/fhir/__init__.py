"""FHIR R4 exchange: the REST API at /fhir/R4/, SMART on FHIR, the handover document."""
