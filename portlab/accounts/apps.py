from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "portlab.accounts"
    label = "accounts"
