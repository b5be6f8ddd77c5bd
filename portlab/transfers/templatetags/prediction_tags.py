"""{% load prediction_tags %}{% predicted_completion application %} on any application page."""

from django import template

from portlab.transfers.prediction import application_predicted_completion

register = template.Library()


@register.inclusion_tag("transfers/predicted_completion.html")
def predicted_completion(application) -> dict:
    return {"prediction": application_predicted_completion(application)}
