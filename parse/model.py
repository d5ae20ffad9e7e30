"""What the form parser hands to the normaliser: raw strings with provenance."""
from __future__ import annotations

from dataclasses import dataclass, field

from extract.model import BBox


@dataclass
class RawIndicator:
    level1: str | None
    level2: str | None           # canonical where recognised, else as written
    level2_raw: str | None
    label: str | None
    name_raw: str
    value_raw: str
    page: int | None = None
    bbox: BBox | None = None
    confidence: float | None = None
    actual_raw: str | None = None
    weight_raw: str | None = None
    score_raw: str | None = None
    value_long_term_raw: str | None = None
    cell_ref: str | None = None   # office files and web pages: 'Sheet1!C12', 'table 2 row 12'


@dataclass
class RawGoal:
    no: int | None
    text: str
    page: int | None = None


@dataclass
class RawForm:
    form_title: str | None = None
    budget_year: int | None = None
    fields: dict[str, str] = field(default_factory=dict)   # header field -> text as written
    money_unit: str | None = None                           # unit of bare header amounts
    goal_text: list[tuple[str, int | None]] = field(default_factory=list)
    goals: list[RawGoal] = field(default_factory=list)
    indicators: list[RawIndicator] = field(default_factory=list)
    pages: set[int] = field(default_factory=set)
    unplaced: list[tuple[str, int | None]] = field(default_factory=list)
    template_rows: dict[str, int] = field(default_factory=dict)   # level2 -> empty rows seen
    required_blocks: set[str] = field(default_factory=set)        # level2 marked （必填）
    label_counts: dict[tuple[str | None, str], int] = field(default_factory=dict)
    findings: list[tuple[str, str, str]] = field(default_factory=list)  # (severity, code, message): what
                                                                          # the parser was unsure of

    column_roles: set[str] = field(default_factory=set)            # roles of its indicator table's columns

    @property
    def form_type(self) -> str:
        t = self.form_title or ""
        if "自评" in t:
            return "self_evaluation"
        if "整体" in t:
            return "department_target"
        if {"actual", "score"} <= self.column_roles and "目标" not in t:
            return "self_evaluation"   # no title saying so, but columns of what was achieved and its score
        return "project_target"

    def has_content(self) -> bool:
        return bool(self.fields.get("project_name") or self.indicators or self.goal_text)
