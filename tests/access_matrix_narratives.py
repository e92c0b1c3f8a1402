"""Access declarations for the narratives URLs, gathered from each part of the room.

Narratives are person data seen only by project members (lead, coder, viewer); a person sees
and withdraws their own narratives. See access_matrix.py for what the declarations are for.
"""

from __future__ import annotations

from tests.access_declarations import Declaration
from tests.access_matrix_narratives_collect import COLLECT, COLLECT_ALSO
from tests.access_matrix_narratives_reports import REPORTS, REPORTS_ALSO
from tests.access_matrix_narratives_suggest import SUGGEST, SUGGEST_ALSO
from tests.access_matrix_narratives_workbench import WORKBENCH, WORKBENCH_ALSO

NARRATIVES: dict[str, Declaration] = {**WORKBENCH, **COLLECT, **REPORTS, **SUGGEST}

NARRATIVES_ALSO: list[tuple[str, Declaration]] = [
    *WORKBENCH_ALSO,
    *COLLECT_ALSO,
    *REPORTS_ALSO,
    *SUGGEST_ALSO,
]
