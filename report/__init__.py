"""Human-facing reports built from the Parquet tables: an Excel workbook
(`report.xlsx.write_workbook`) and static HTML review pages
(`report.html.write_site`)."""
from __future__ import annotations

import math


def na_to_none(v):
    """pandas NA / NaT and float NaN -> None; anything else as it is."""
    if v is None:
        return None
    try:
        import pandas as pd
        if v is pd.NA or v is pd.NaT:
            return None
    except ImportError:  # pragma: no cover
        pass
    if isinstance(v, float) and math.isnan(v):
        return None
    return v

# Chinese captions of the table columns, shared by the workbook and the HTML pages.
CAPTIONS: dict[str, str] = {
    "doc_id": "文档编号", "source_path": "来源文件", "file_type": "文件类型", "extractor": "读取方式",
    "pages": "页数", "status": "状态", "error": "原因", "n_projects": "项目数", "ocr_pages": "OCR页码",
    "project_id": "项目编号", "project_seq": "序号", "page_start": "起始页", "page_end": "结束页",
    "form_type": "表格类型", "form_title": "表格标题", "budget_year": "预算年度", "project_name": "项目名称",
    "department": "主管部门", "department_code": "部门代码", "implementing_unit": "实施单位",
    "project_attribute": "项目属性", "project_period": "项目期", "funds_total_yuan": "年度资金总额（元）",
    "funds_fiscal_yuan": "财政拨款（元）", "funds_other_yuan": "其他资金（元）",
    "funds_executed_yuan": "全年执行数（元）",
    "goal_seq": "目标序号", "goal_no": "目标编号", "text": "目标内容", "page": "页码",
    "ind_seq": "指标序号", "level1": "一级指标", "level2": "二级指标", "level2_raw": "二级指标（原文）",
    "label": "标号", "name": "三级指标", "name_raw": "三级指标（原文）", "value_raw": "指标值（原文）",
    "operator": "运算符", "value_num": "数值", "unit": "单位", "value_yuan": "金额（元）",
    "deadline": "完成时限", "value_kind": "值类型", "actual_raw": "实际完成值", "weight": "权重",
    "value_long_term_raw": "长期指标值", "score": "得分", "bbox_x0": "框左", "bbox_y0": "框上",
    "bbox_x1": "框右", "bbox_y1": "框下", "ocr_confidence": "OCR置信度", "cell_ref": "单元格位置",
    "severity": "严重程度", "code": "问题代码", "message": "说明",
    "sha256": "文件SHA-256",
}


def caption(column: str) -> str:
    """The Chinese caption of a column; a column added later falls back to its own name."""
    return CAPTIONS.get(column, column)

TABLE_CAPTIONS = {"documents": "文档", "projects": "项目", "goals": "目标", "indicators": "指标", "issues": "问题"}

# meaning of each issue code (as in the README), in Chinese
ISSUE_MEANINGS: dict[str, str] = {
    "funds_sum_mismatch": "财政拨款加其他资金不等于年度资金总额",
    "cost_sum_mismatch": "成本指标金额合计与项目资金总额不符",
    "required_block_empty": "必填的二级指标没有三级指标",
    "quantity_not_numeric": "数量/质量/时效/成本指标的指标值没有数值或日期",
    "satisfaction_below_norm": "满意度目标低于 90%",
    "deadline_outside_year": "完成时限不在预算年度内",
    "year_mismatch": "目标或指标写的年份与预算年度不符",
    "duplicate_label": "同一二级指标中标号重复",
    "unplaced_text": "表内有未归入任何字段的文字",
    "text_layer_unusable": "页面没有可用的文字层（已 OCR 或未读取）",
    "ocr_operator_suspect": "OCR 按字形补回或存疑的运算符、标点",
    "ocr_low_confidence": "OCR 识别置信度低",
    "ocr_repaired": "OCR 按字形补回或改正的标点（、，。：；）",
    "input_note": "读取文件时的说明（修复、截断、编码、已忽略的脚本或附件）",
}

SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}
SEVERITY_CAPTIONS = {"error": "错误", "warning": "警告", "info": "提示"}
