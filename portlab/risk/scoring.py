"""The learned model as the platform uses it: the active version, loaded once per process."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

from portlab.core.errors import ApplicationError
from portlab.risk import model as learned
from portlab.risk import reasons
from portlab.risk.features import RiskInputError
from portlab.risk.models import Declaration, ModelVersion

# Without a trained model every declaration starts from this probability; rules then move it.
DEFAULT_PROBABILITY = 0.05
MODEL_REASONS = 3
_loaded: dict[str, learned.TrainedModel] = {}


def models_directory() -> Path:
    return Path(settings.PORTLAB_MODELS_DIR)


def value_in_yuan(declaration: Declaration) -> Decimal:
    """The declared value in yuan. A declaration stored before conversion existed, in another
    currency, has none until `portlab risk-convert` applies its month's rate: rules and the
    model refuse it ("no rate") rather than read the foreign value 1:1."""
    if declaration.value_cny is None:
        raise ApplicationError(
            _("Declaration %(number)s cannot be scored: no customs exchange rate was applied "
              "to its %(currency)s value (registered before conversion). Enter the rate of "
              "%(month)s and run “portlab risk-convert”.")
            % {"number": declaration.number, "currency": declaration.currency,
               "month": declaration.declared_on.strftime("%Y-%m")}, field="currency")
    return declaration.value_cny


def model_record(declaration: Declaration) -> dict[str, Any]:
    """The declaration under the column names the model was designed with (features.py).

    Fields a Chinese declaration does not carry in this form are left blank: the encoder
    treats a blank as one more category.
    """
    return {
        "Declaration ID": declaration.number, "Date": declaration.declared_on.isoformat(),
        "Office ID": declaration.office, "Process Type": "", "Import Type": "",
        "Import Use": "", "Payment Type": "", "Mode of Transport": declaration.transport_mode,
        "Declarant ID": declaration.declarant, "Importer ID": declaration.importer_code,
        "Seller ID": declaration.seller, "Courier ID": "",
        "HS6 Code": declaration.hs_code[:6],
        "Country of Departure": declaration.departure_country,
        "Country of Origin": declaration.origin_country,
        "Tax Rate": float(declaration.tax_rate), "Tax Type": declaration.tax_type,
        "Country of Origin Indicator": "", "Net Mass": float(declaration.net_mass_kg),
        "Item Price": float(value_in_yuan(declaration)),
    }  # fmt: skip


def active_model() -> tuple[ModelVersion | None, learned.TrainedModel | None]:
    version = ModelVersion.objects.filter(active=True).order_by("-trained_at", "-id").first()
    if version is None:
        return None, None
    trained = _loaded.get(version.file_path)
    if trained is None:
        try:
            trained = learned.load(version.file_path)
        except (OSError, RiskInputError) as error:
            raise ApplicationError(
                _("Model %(version)s cannot be read from %(path)s (%(error)s); retrain with "
                  "“portlab risk-train”.")
                % {"version": version.version, "path": version.file_path, "error": error},
                field="model",
            ) from error
        _loaded.clear()  # one model in memory per process: the active one
        _loaded[version.file_path] = trained
    return version, trained


def model_probability(
    declaration: Declaration,
) -> tuple[ModelVersion | None, float, list[dict]]:
    """(version used, probability, the model's main reasons as stored) for one declaration."""
    version, trained = active_model()
    if trained is None:
        return None, DEFAULT_PROBABILITY, [reasons.no_model_reason(DEFAULT_PROBABILITY)]
    probability, explained = learned.explain(trained, model_record(declaration), MODEL_REASONS)
    return version, probability, [
        reasons.model_reason(reason, currency=declaration.currency, declared=declaration.value)
        for reason in explained]
