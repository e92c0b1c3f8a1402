"""The REFI-QDA XML schemas (vendored in ``schemas/``, see its README) and validation against them.

lxml ships no type information; it is confined to this module and ``refi.py``.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

from lxml import etree  # type: ignore[import-untyped]

SCHEMAS = Path(__file__).parent / "schemas"
PROJECT_NS = "urn:QDA-XML:project:1.0"
CODEBOOK_NS = "urn:QDA-XML:codebook:1.0"


class RefiValidationError(ValueError):
    """A document does not validate against its REFI-QDA schema."""

    def __init__(self, errors: list[str]) -> None:
        super().__init__("; ".join(errors[:5]))
        self.errors = errors


def parse_untrusted(xml: bytes) -> Any:
    """Parse XML from elsewhere. REFI-QDA never needs a DTD, so a document declaring one (and
    with it, entities) is refused outright. Raises ``etree.XMLSyntaxError`` or ``ValueError``."""
    root = etree.fromstring(xml, safe_parser())
    if root.getroottree().docinfo.doctype:
        raise ValueError("document type declarations are not accepted")
    return root


def safe_parser() -> Any:
    """A parser for files from elsewhere: no entities, no DTDs, no network."""
    return etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, remove_comments=False
    )


@lru_cache(maxsize=1)
def project_schema() -> Any:
    return etree.XMLSchema(etree.parse(str(SCHEMAS / "Project.xsd"), safe_parser()))


@lru_cache(maxsize=1)
def codebook_schema() -> Any:
    """The official REFI-QDA Codebook schema, vendored unchanged (see ``schemas/README.md``)."""
    return etree.XMLSchema(etree.parse(str(SCHEMAS / "Codebook.xsd"), safe_parser()))


def _errors(schema: Any, xml: bytes) -> list[str]:
    try:
        document = etree.fromstring(xml, safe_parser())
    except etree.XMLSyntaxError as error:
        return [f"not well-formed XML: {error}"]
    try:
        if schema.validate(document):
            return []
    except etree.XMLSchemaValidateError as error:  # e.g. unexpanded entity references
        return [f"cannot be validated: {error}"]
    return [f"line {e.line}: {e.message}" for e in schema.error_log]


def project_errors(xml: bytes) -> list[str]:
    """Why ``xml`` is not a valid REFI-QDA project (``project.qde``); empty if it is."""
    return _errors(project_schema(), xml)


def codebook_errors(xml: bytes) -> list[str]:
    """Why ``xml`` is not a valid REFI-QDA codebook (``.qdc``); empty if it is."""
    return _errors(codebook_schema(), xml)


def validate_project(xml: bytes) -> None:
    errors = project_errors(xml)
    if errors:
        raise RefiValidationError(errors)


def validate_codebook(xml: bytes) -> None:
    errors = codebook_errors(xml)
    if errors:
        raise RefiValidationError(errors)
