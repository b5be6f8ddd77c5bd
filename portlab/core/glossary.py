"""The domain's words in Chinese and English: one term per concept, used everywhere (pure).

DESIGN.md names the concepts; this list fixes how each is said. The zh-Hans catalogs are
checked against it (`portlab/core/tests/test_glossary.py`): a message whose English contains a
term must use the term's Chinese form, so the same word is never translated two ways.
`other_senses` lists English phrases where the word means something else (a sample *for* the
lab is a verb; a *document* review is customs' 审单) and are not checked.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Term:
    english: str
    chinese: str
    meaning: str  # in English; the page shows it (or meaning_zh) beside both names
    other_senses: tuple[str, ...] = ()
    short: str = ""  # the accepted short form where the context is clear (申请 for 报验申请)
    meaning_zh: str = ""

    def used_in(self, chinese_text: str) -> bool:
        return self.chinese in chinese_text or bool(self.short and self.short in chinese_text)


GLOSSARY: tuple[Term, ...] = (
    Term("application", "报验申请",
         "A request to inspect goods, filed by an enterprise or at reception; it holds samples.",
         ("API",), short="申请",
         meaning_zh="企业或收样窗口提交的检验申请，下含样品。"),
    Term("sample", "样品", "The goods taken for testing, with a barcode and chain of custody.",
         ("Sample for the lab", "Sample Name", "Sample ID", "sample ids"),
         meaning_zh="为检测抽取的货物，带条码和流转记录。"),
    Term("test item", "检测项目", "What is measured (an analyte or parameter, with its unit).",
         meaning_zh="所测的分析物或参数，带单位。"),
    Term("capability", "检测能力",
         "A lab can test an item by a method: accredited or not, LOD/LOQ, price, turnaround.",
         meaning_zh="实验室按某方法检测某项目的能力：是否认可、检出限/定量限、价格、周期。"),
    Term("method", "检测方法", "A standard's clause and technique by which an item is tested.",
         ("Robust method", "Unknown method"), short="方法",
         meaning_zh="检测某项目所依据的标准条款和技术。"),
    Term("specification", "判定依据", "The limit a result is judged against, by product.",
         meaning_zh="按产品判定结果所依据的限量。"),
    Term("reviewer", "复核人", "The second person who checks a result before approval.",
         meaning_zh="批准前对结果进行第二人检查的人员。"),
    Term("review", "复核", "The check of a result by a second person (four-eyes).",
         ("document review",),
         meaning_zh="第二人对结果的检查（双人复核）。"),
    Term("approval", "批准", "The authorized signatory's decision that results may be reported.",
         meaning_zh="授权签字人确认结果可以出具报告。"),
    Term("authorized signatory", "授权签字人",
         "A person authorized to approve results and sign reports.",
         meaning_zh="经授权批准结果并签发报告的人员。"),
    Term("out of control", "失控",
         "An internal QC run that breaks a Westgard rule: its tests wait for corrective action.",
         meaning_zh="违反 Westgard 规则的室内质控批次：相关检测须等纠正措施完成。"),
    Term("returned", "驳回",
         "A result sent back by the reviewer or approver to the analyst, with the reason.",
         ("Returned to the applicant",),
         meaning_zh="复核人或批准人将结果连同原因退回检测员。"),
    Term("targeting", "布控",
         "Customs' order to inspect a declaration chosen by risk analysis; never used for "
         "bookings or samples.",
         meaning_zh="海关根据风险分析对报关单下达的查验指令；不用于预约或样品。"),
    Term("declaration", "报关单", "The customs declaration of a consignment.",
         meaning_zh="一批货物的海关报关单。"),
    Term("enterprise", "企业", "An importer or exporter, known by its unified social credit code.",
         meaning_zh="进出口企业，以统一社会信用代码识别。"),
    Term("unified social credit code", "统一社会信用代码",
         "The 18-character code that identifies an enterprise in China.",
         meaning_zh="识别中国企业的 18 位代码。"),
    Term("credit grade", "信用等级",
         "Customs' grade of an enterprise: advanced certified, general or distrusted.",
         meaning_zh="海关对企业的信用等级：高级认证、一般信用或失信。"),
    Term("calibration", "校准", "An outside check of an instrument against references.",
         meaning_zh="由外部对仪器按参考标准进行的检查。"),
    Term("intermediate check", "期间核查",
         "A lab's own check of an instrument between calibrations.",
         meaning_zh="两次校准之间实验室自行对仪器进行的核查。"),
    Term("corrective action", "纠正措施",
         "Action that removes the cause of a nonconformity, complaint or failed QC run.",
         meaning_zh="消除不符合项、投诉或质控失控原因的措施。"),
    Term("internal audit", "内部审核", "The lab's own audit of its quality system.",
         meaning_zh="实验室对自身质量体系的审核。"),
    Term("complaint", "投诉", "A customer's complaint about the lab's work.",
         meaning_zh="客户对实验室工作的投诉。"),
    Term("proficiency testing", "能力验证",
         "An outside comparison of labs on the same material (PT round).",
         meaning_zh="多家实验室对同一样品的外部比对（能力验证轮次）。"),
    Term("control material", "质控品", "A material of known value measured in internal QC.",
         meaning_zh="室内质控中测量的已知值物质。"),
    Term("uncertainty", "不确定度", "The measurement uncertainty of a result (U, with k).",
         meaning_zh="结果的测量不确定度（U 及包含因子 k）。"),
    Term("limit of detection", "检出限", "The smallest amount the method detects (LOD).",
         meaning_zh="方法能检出的最小量（LOD）。"),
    Term("exchange rate", "海关汇率",
         "Customs' monthly rate (海关汇率) that converts declared values to CNY.",
         short="汇率",
         meaning_zh="海关每月用于将申报价格折算为人民币的汇率。"),
    Term("risk score", "风险评分", "A declaration's combined model and rule score.",
         meaning_zh="报关单的模型与规则综合评分。"),
    Term("analyst", "检测员", "The person who runs tests and records results.",
         meaning_zh="进行检测并记录结果的人员。"),
    Term("reception clerk", "收样员", "The person who receives or rejects samples.",
         meaning_zh="接收或拒收样品的人员。"),
    Term("quality manager", "质量负责人", "The person who watches the lab's quality system.",
         meaning_zh="监督实验室质量体系的人员。"),
)


def term_for(english: str) -> Term | None:
    wanted = english.casefold()
    return next((t for t in GLOSSARY if t.english.casefold() == wanted), None)
