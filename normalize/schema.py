"""The five output tables as explicit Arrow schemas (SCHEMA.md is the contract)."""
from __future__ import annotations

import pyarrow as pa

S, I, F, D = pa.string(), pa.int64(), pa.float64(), pa.date32()

TABLES: dict[str, pa.Schema] = {
    "documents": pa.schema([
        ("doc_id", S), ("source_path", S), ("file_type", S), ("extractor", S), ("pages", I),
        ("status", S), ("error", S), ("n_projects", I), ("ocr_pages", S),
    ]),
    "projects": pa.schema([
        ("project_id", S), ("doc_id", S), ("project_seq", I), ("page_start", I), ("page_end", I),
        ("form_type", S), ("form_title", S), ("budget_year", I), ("project_name", S),
        ("department", S), ("department_code", S), ("implementing_unit", S),
        ("project_attribute", S), ("project_period", S), ("funds_total_yuan", F),
        ("funds_fiscal_yuan", F), ("funds_other_yuan", F), ("funds_executed_yuan", F),
    ]),
    "goals": pa.schema([
        ("project_id", S), ("goal_seq", I), ("goal_no", I), ("text", S), ("page", I),
    ]),
    "indicators": pa.schema([
        ("project_id", S), ("ind_seq", I), ("level1", S), ("level2", S), ("level2_raw", S),
        ("label", S), ("name", S), ("name_raw", S), ("value_raw", S), ("operator", S),
        ("value_num", F), ("unit", S), ("value_yuan", F), ("deadline", D), ("value_kind", S),
        ("actual_raw", S), ("weight", F), ("value_long_term_raw", S), ("score", F), ("page", I),
        ("bbox_x0", F), ("bbox_y0", F), ("bbox_x1", F), ("bbox_y1", F), ("ocr_confidence", F),
        ("cell_ref", S),
    ]),
    "issues": pa.schema([
        ("doc_id", S), ("project_id", S), ("severity", S), ("code", S), ("message", S),
    ]),
}
