"""Enumerates the project's URL patterns by their full names ("namespace:name")."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, get_resolver


def url_names(urlconf: str | None = None) -> list[str]:
    """Every pattern's full name; a pattern without a name is reported as ``<unnamed: route>``."""
    names: list[str] = []

    def walk(patterns: list[URLPattern | URLResolver], namespace: str, prefix: str) -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = pattern.namespace
                walk(
                    pattern.url_patterns,
                    f"{namespace}{inner}:" if inner else namespace,
                    prefix + str(pattern.pattern),
                )
            elif pattern.name:
                names.append(f"{namespace}{pattern.name}")
            else:
                names.append(f"<unnamed: {prefix}{pattern.pattern}>")

    walk(get_resolver(urlconf).url_patterns, "", "")
    return names


def undeclared(names: list[str], declared: set[str]) -> list[str]:
    return sorted(set(names) - declared)
