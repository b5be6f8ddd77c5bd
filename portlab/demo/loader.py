"""The demo network: three districts, ten labs, a real catalog, users and applications
in every state, created through the same services the pages use."""

import random
from decimal import Decimal

from django.db import transaction

from portlab.accounts.credit_code import check_character
from portlab.accounts.models import Enterprise, Role, User
from portlab.accounts.services import enterprise_create, role_grant, user_create
from portlab.accounts.verification import enterprise_verify
from portlab.demo import catalog
from portlab.demo.custody import load_custody_demo
from portlab.demo.instruments import instruments_demo
from portlab.demo.network import load_network_demo
from portlab.demo.password import PASSWORD
from portlab.demo.quality import authorize_demo_staff, load_quality_demo
from portlab.demo.workflow import applications_in_every_state
from portlab.network.models import (
    Alliance,
    Capability,
    District,
    Lab,
    Method,
    ProductCategory,
    Specification,
    Standard,
    TestItem,
)
from portlab.reports.keystore import network_keys_init


def credit_code(first_17: str) -> str:
    return first_17 + check_character(first_17)


ENTERPRISES = [
    (credit_code("91120116MA05K8UJ4"), "中粮(天津)粮油工业有限公司", "COFCO (Tianjin) Grain & Oil",
     "1207960001", Enterprise.CreditGrade.ADVANCED),
    (credit_code("91110105MA01R2XQ5"), "北京鲜达进出口贸易有限公司",
     "Beijing Xianda Import & Export", "1105911234", Enterprise.CreditGrade.GENERAL),
    (credit_code("91130200MA0CQ3LT2"), "唐山海润水产品有限公司", "Tangshan Hairun Aquatic Products",
     "1302930456", Enterprise.CreditGrade.GENERAL),
    (credit_code("91120118MA06H7PW8"), "天津滨海乳业进口有限公司", "Tianjin Binhai Dairy Import",
     "1207964321", Enterprise.CreditGrade.DISTRUSTED),
]


def _network() -> dict[str, Lab]:
    districts = {code: District.objects.create(code=code, name_zh=zh, name_en=en, city=city)
                 for code, zh, en, city in catalog.DISTRICTS}
    labs = {}
    for code, district, kind, cnas, zh, en, city, _share in catalog.LABS:
        # Accredited labs hold the CMA too (fictitious numbers, as the CNAS ones).
        cma = f"CMA 2026{len(labs) + 1:08d}" if cnas else ""
        labs[code] = Lab.objects.create(code=code, district=districts[district], kind=kind,
                                        cnas_number=cnas, cma_number=cma, name_zh=zh,
                                        name_en=en, city=city)
    alliance = Alliance.objects.create(code="JJJ-FOOD", lead_lab=labs["TJ-TC"],
                                       name_zh="京津冀食品检测实验室联盟",
                                       name_en="Beijing-Tianjin-Hebei Food Testing Alliance")
    alliance.members.set([labs["TJ-TC"], labs["BJ-TC"], labs["SJZ-TC"], labs["TJ-XG"]])
    return labs


def _catalog(labs: dict[str, Lab], rng: random.Random) -> None:
    items, methods = {}, {}
    for code, zh, en, unit, standard, clause, technique, *_rest in catalog.TEST_ITEMS:
        kind = "text" if code in catalog.TEXT_ITEMS else "numeric"
        items[code] = TestItem.objects.create(code=code, name_zh=zh, name_en=en, unit=unit,
                                              result_kind=kind)
        std, _ = Standard.objects.get_or_create(code=standard, defaults={"name_zh": standard})
        method_code = f"{standard} {clause}".strip() + f" {technique}"
        methods[code], _ = Method.objects.get_or_create(
            code=method_code, defaults={"standard": std, "clause": clause, "technique": technique})
    Standard.objects.create(code="GB 5009.12-2017", name_zh="GB 5009.12-2017",
                            status=Standard.Status.WITHDRAWN,
                            replaced_by=Standard.objects.get(code="GB 5009.12-2023"))
    rows = []
    for lab_code, *_middle, share in catalog.LABS:
        lab = labs[lab_code]
        for code, _zh, _en, unit, _s, _c, _t, lod, loq, price, days in catalog.TEST_ITEMS:
            if share < 1.0 and rng.random() > share:
                continue
            rows.append(Capability(
                lab=lab, test_item=items[code], method=methods[code],
                accredited=bool(lab.cnas_number) and rng.random() < 0.9, lod=lod, loq=loq,
                unit=unit or "", price=Decimal(price), turnaround_days=days,
                daily_capacity=rng.choice([20, 40, 60, 100])))
    Capability.objects.bulk_create(rows)
    _specifications(items)


def _specifications(items: dict[str, TestItem]) -> None:
    categories = {code: ProductCategory.objects.create(code=code, name_zh=zh, name_en=en)
                  for code, zh, en in catalog.CATEGORIES}
    for category, item, low, high, unit, source in catalog.SPECIFICATIONS:
        standard, _ = Standard.objects.get_or_create(code=source, defaults={"name_zh": source})
        Specification.objects.create(product_category=categories[category],
                                     test_item=items[item], limit_low=low, limit_high=high,
                                     unit=unit, source_standard=standard)


# (username, display name, role, lab code)
STAFF = [
    ("clerk", "王收样", Role.RECEPTION_CLERK, "TJ-TC"),
    ("manager", "李主任", Role.LAB_MANAGER, "TJ-TC"),
    ("analyst", "张检测", Role.ANALYST, "TJ-TC"),
    ("analyst2", "赵检测", Role.ANALYST, "TJ-TC"),
    ("reviewer", "刘复核", Role.REVIEWER, "TJ-TC"),
    ("signatory", "陈签字", Role.SIGNATORY, "TJ-TC"),
    ("quality", "孙质量", Role.QUALITY_MANAGER, "TJ-TC"),
    ("bjclerk", "周收样", Role.RECEPTION_CLERK, "BJ-TC"),
]


def _people(labs: dict[str, Lab]) -> dict[str, User]:
    admin = User.objects.create_superuser("admin", password=PASSWORD, display_name="系统管理员")
    role_grant(user=admin, role=Role.ADMINISTRATOR)
    users = {"admin": admin}
    for username, name, role, lab_code in STAFF:
        users[username] = user_create(username=username, password=PASSWORD, display_name=name,
                                      roles=[(role, labs[lab_code])])
    # Credit grades are set by customs credit officers only.
    users["credit"] = user_create(username="credit", password=PASSWORD, display_name="吴信用",
                                  roles=[(Role.CREDIT_OFFICER, None)])
    for index, (code, zh, en, customs, grade) in enumerate(ENTERPRISES, start=1):
        enterprise = enterprise_create(actor=users["credit"], credit_code=code, name_zh=zh,
                                       name_en=en,
                                       customs_code=customs, credit_grade=grade,
                                       contact_email=f"contact{index}@example.com")
        users[f"enterprise{index}"] = user_create(
            username=f"enterprise{index}", password=PASSWORD, display_name=zh[:10],
            roles=[(Role.ENTERPRISE_USER, enterprise)])
        if index < len(ENTERPRISES):  # the last one waits in the credit officer's queue
            enterprise_verify(actor=users["credit"], enterprise=enterprise,
                              note="营业执照已核对（演示） / licence checked (demo)")
    return users


@transaction.atomic
def load_demo(seed: int = 2026) -> dict[str, User]:
    rng = random.Random(seed)
    labs = _network()
    _catalog(labs, rng)
    users = _people(labs)
    authorize_demo_staff(users, labs["TJ-TC"])
    # Signing keys for the demo labs (files in PORTLAB_KEYS_DIR), so one report gets issued.
    network_keys_init()
    applications_in_every_state(users, labs["TJ-TC"])
    load_quality_demo(users, labs)
    load_custody_demo(users, labs["TJ-TC"])
    load_network_demo()
    instruments_demo()
    return users
