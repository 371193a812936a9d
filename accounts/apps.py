from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts and units")

    def ready(self):
        from . import lookups  # noqa: F401 (registers the integer ``in`` lookup)
