"""Risk reasons as stored (codes and numbers) and as read (text in the reader's language).

A RiskScore keeps each model reason as {"kind": "model", "code", "params", "contribution"}
(see `portlab.risk.model.explain`), so that the same score reads in Chinese or English, and a
foreign-currency value shows both the declared amount and its yuan equivalent. Reasons stored
before codes existed carry only "text" and are shown as they are; a rule's reason is the
officer's own explanation.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portlab.risk.currency import HOME

FEATURES = {
    "Office ID": gettext_lazy("Customs office"), "Process Type": gettext_lazy("Process type"),
    "Import Type": gettext_lazy("Import type"), "Import Use": gettext_lazy("Import use"),
    "Payment Type": gettext_lazy("Payment type"),
    "Mode of Transport": gettext_lazy("Transport mode"),
    "Declarant ID": gettext_lazy("Declarant"), "Importer ID": gettext_lazy("Importer"),
    "Seller ID": gettext_lazy("Seller"), "Courier ID": gettext_lazy("Courier"),
    "HS6 Code": gettext_lazy("HS6 code"),
    "Country of Departure": gettext_lazy("Country of departure"),
    "Country of Origin": gettext_lazy("Country of origin"),
    "Tax Type": gettext_lazy("Tax type"),
    "Country of Origin Indicator": gettext_lazy("Origin indicator"),
}  # fmt: skip


def model_reason(reason: Mapping[str, Any], *, currency: str, declared: Decimal) -> dict:
    """A model reason to store: its code and numbers, with the declared currency and amount
    added where it speaks of the value."""
    params = dict(reason["params"])
    if reason["code"] == "item_price" and currency != HOME:
        params.update(currency=currency, declared=float(declared))
    return {"kind": "model", "rule": None, "weight": None, "code": reason["code"],
            "params": params, "contribution": reason["contribution"]}


def no_model_reason(rate: float) -> dict:
    return {"kind": "model", "rule": None, "weight": None, "code": "no_model",
            "params": {"rate": round(rate * 100)}, "contribution": 0.0}


def _feature(name: str) -> str:
    return str(FEATURES.get(name, name))


def _subject(params: Mapping[str, Any]) -> str:
    parts = [f"{_feature(name)} {value or _('(blank)')}" for name, value in params["subject"]]
    return _(" with ").join(parts)


def _money(params: Mapping[str, Any]) -> str:
    yuan = f"{HOME} {params['amount']:,.0f}"
    if "currency" not in params:
        return yuan
    return f"{params['currency']} {params['declared']:,.0f} ≈ {yuan}"


def _texts(p: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "no_model": lambda: _("No trained model yet: every declaration starts at %(rate)d%%.")
        % p,
        "unit_value_ratio": lambda: _("unit value %(ratio)s× the usual for HS6 %(hs6)s")
        % {"ratio": f"{p['ratio']:g}", "hs6": p["hs6"]},
        "unit_value": lambda: _("unit value %(amount)s per kg")
        % {"amount": f"{HOME} {p['amount']:,.0f}"},
        "net_mass": lambda: _("net mass %(amount)s kg") % {"amount": f"{p['amount']:,.1f}"},
        "item_price": lambda: _("declared value %(amount)s") % {"amount": _money(p)},
        "countries_differ": lambda: _("country of departure %(departure)s differs from the "
                                      "country of origin %(origin)s") % p,
        "countries_match": lambda: _("country of departure %(departure)s is the country of "
                                     "origin %(origin)s") % p,
        "tax_rate": lambda: _("tax rate %(rate)s%%") % {"rate": f"{p['rate']:g}"},
        "category": lambda: f"{_feature(p['feature'])} {p['value'] or _('(blank)')}",
        "history_none": lambda: _("%(subject)s: no labelled history")
        % {"subject": _subject(p)},
        "history": lambda: _("%(subject)s: %(frauds)d of %(count)d labelled declarations "
                             "nonconforming") % {"subject": _subject(p), "frauds": p["frauds"],
                                                 "count": p["count"]},
    }


def reason_text(reason: Mapping[str, Any]) -> str:
    """The reason in the active language; old reasons stored as text are shown as stored."""
    code = reason.get("code")
    if not code:
        return str(reason.get("text", ""))
    text = _texts(reason.get("params", {}))[code]()
    contribution = float(reason.get("contribution") or 0.0)
    if code == "no_model":
        return text
    if contribution > 0:
        return _("%(reason)s (raises risk, %(contribution)+.2f)") % {
            "reason": text, "contribution": contribution}
    return _("%(reason)s (lowers risk, %(contribution)+.2f)") % {
        "reason": text, "contribution": contribution}


def reasons_shown(reasons: list[Mapping[str, Any]]) -> list[dict]:
    """Kind, text and weight of each stored reason, for pages and the API."""
    return [{"kind": r["kind"], "text": reason_text(r), "weight": r.get("weight")}
            for r in reasons]
