"""Risk analysis demo on top of the demo network (`portlab demo`): profiles, rules, history,
three model versions and a few hundred decided declarations, all through the real services.

Outcomes are synthetic: Vietnamese rice, one distrusted importer and very cheap goods carry
most nonconformities, so the board shows what a working model and rules look like.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from portlab.accounts.models import Enterprise, Role, User
from portlab.accounts.services import user_create
from portlab.demo import loader
from portlab.demo.password import PASSWORD
from portlab.intake.models import Application
from portlab.risk import configuration, exchange_rates, importing, services, training
from portlab.risk.declarations import FIELDS
from portlab.risk.models import Declaration

GOODS = [  # HS code, description (zh), origins, typical USD per kg
    ("1006302000", "泰国茉莉香米", ("TH", "VN", "KH"), 0.9),
    ("1202420000", "去壳花生", ("AR", "US", "SN"), 1.6),
    ("0303890090", "冻鱼", ("NO", "RU", "VN"), 3.5),
    ("0402210000", "全脂奶粉", ("NZ", "AU", "FR"), 4.2),
    ("8471300000", "便携式计算机", ("CN", "VN", "MY"), 60.0),
    ("6403990000", "皮鞋", ("VN", "IT", "ID"), 25.0),
]
PROFILES = [("1006", ["PB", "CD", "AS-I", "AFB1"], "RICE"), ("1202", ["AFB1", "PB"], "PEANUT"),
            ("0303", ["PB", "CD"], "FISH"), ("0402", ["PB"], "MILK")]


def _officer() -> User:
    found = User.objects.filter(username="risk").first()
    return found or user_create(username="risk", password=PASSWORD, display_name="王风控",
                                roles=[(Role.RISK_OFFICER, None)])


def _setup(officer: User) -> None:
    for prefix, items, category in PROFILES:
        configuration.risk_profile_set(actor=officer, hs_prefix=prefix, test_item_codes=items,
                                       product_category_code=category)
    configuration.risk_rule_create(
        actor=officer, explanation="越南大米近期多次检出镉超标 / Cadmium alerts on Vietnamese rice",
        weight=0.9, hs_prefixes="1006", countries="VN")
    configuration.risk_rule_create(
        actor=officer, explanation="单价明显偏低，疑似低报价格 / Unit value far below the usual",
        weight=0.7, unit_value_max="0.3")
    configuration.sampling_rate_set(actor=officer, hs_chapter="", credit_grade="general",
                                    rate=0.08, reason="demo")
    configuration.sampling_rate_set(actor=officer, hs_chapter="10", credit_grade="general",
                                    rate=0.15, reason="粮食专项 / grain campaign")


def demo_rates_csv(years: tuple[int, ...] = (2025, 2026)) -> str:
    """USD at 7.1 yuan in every month of the demo: a round demo figure, not a published
    customs rate (load the real ones with `portlab risk-rates`)."""
    lines = ["currency,valid_from,rate,source"]
    lines += [f"USD,{year}-{month:02d}-01,7.1,演示汇率 demo figure (not published)"
              for year in years for month in range(1, 13)]
    return "\n".join(lines) + "\n"


def declaration_row(rng: random.Random, number: int, day: date) -> dict[str, str]:
    hs_code, goods, origins, price = rng.choice(GOODS)
    enterprise = rng.choice(list(Enterprise.objects.order_by("id")))
    mass = rng.uniform(500, 25000)
    value = mass * price * rng.lognormvariate(0, 0.5)
    origin = rng.choice(origins)
    return {
        "number": f"0202{day.year}{number:010d}", "declared_on": day.isoformat(),
        "office": rng.choice(["0202", "0203", "0101", "0401"]),
        "declarant": f"D{rng.randint(1, 8)}", "importer_code": enterprise.credit_code,
        "importer_name": enterprise.name_zh, "seller": f"S{rng.randint(1, 30)}",
        "hs_code": hs_code, "goods_description": goods, "origin_country": origin,
        "departure_country": origin, "transport_mode": rng.choice(["sea", "sea", "rail", "air"]),
        "tax_type": "101", "tax_rate": str(rng.choice([0, 1, 5, 10])),
        "net_mass_kg": f"{mass:.1f}", "value": f"{value:.2f}", "currency": "USD",
    }  # fmt: skip


def truly_nonconforming(rng: random.Random, row: dict[str, str]) -> bool:
    chance = 0.03
    if row["hs_code"].startswith("1006") and row["origin_country"] == "VN":
        chance = 0.45
    grade = Enterprise.objects.get(credit_code=row["importer_code"]).credit_grade
    if grade == Enterprise.CreditGrade.DISTRUSTED:
        chance = max(chance, 0.3)
    if float(row["value"]) / float(row["net_mass_kg"]) < 0.3:
        chance = max(chance, 0.4)
    return rng.random() < chance


def _history_csv(rng: random.Random, count: int, start: date) -> str:
    lines = [",".join((*FIELDS, "nonconforming"))]
    for number in range(1, count + 1):
        row = declaration_row(rng, number, start + timedelta(days=number * 120 // count))
        label = "1" if truly_nonconforming(rng, row) else "0"
        lines.append(",".join([*(row[name].replace(",", " ") for name in FIELDS), label]))
    return "\n".join(lines) + "\n"


def _decide_and_learn(officer: User, rng: random.Random, first: int, count: int,
                      day: date) -> None:
    for number in range(first, first + count):
        row = declaration_row(rng, number, day)
        declaration = services.declaration_submit(actor=officer, data=row)
        if declaration.selection.lane == "release" or rng.random() < 0.15:
            continue  # released, or the outcome is not known yet
        outcome = truly_nonconforming(rng, row)
        application = declaration.selection.application
        if application is not None:
            services.declaration_label_from_application(application, conforming=not outcome)
        else:
            services.declaration_label(actor=officer, declaration=declaration,
                                       nonconforming=outcome, reason="查验记录 / inspection")


def demo_network() -> None:
    """The demo network, catalog and enterprises without the sample workflow of `portlab demo`
    (for benchmarks and screenshots that need only what risk analysis touches)."""
    rng = random.Random(2026)
    labs = loader._network()
    loader._catalog(labs, rng)
    loader._people(labs)


def load_risk_demo(history: int = 1500, batches: int = 2, batch_size: int = 250,
                   seed: int = 7) -> User:
    """Three model versions, each trained on more outcomes; about 500 decided declarations."""
    rng = random.Random(seed)
    officer = _officer()
    _setup(officer)
    exchange_rates.exchange_rates_import(actor=officer, text=demo_rates_csv())
    importing.declarations_import(actor=officer, source="demo",
                                  text=_history_csv(rng, history, date(2025, 6, 1)))
    training.model_train_from_history(actor=officer, rounds=80)
    for batch in range(batches):
        first = history + 1 + batch * batch_size
        _decide_and_learn(officer, rng, first, batch_size, date(2025, 10, 1 + batch * 10))
        training.model_train_from_history(actor=officer, rounds=80)
        training.sampling_rates_adapt(actor=officer)
    return officer


def demo_summary() -> dict[str, int]:
    return {"declarations": Declaration.objects.count(),
            "applications": Application.objects.exclude(declaration_number="").count()}
