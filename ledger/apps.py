from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LedgerConfig(AppConfig):
    """台账导入: taking a bureau's Excel ledger of cadres and family contacts in."""

    name = "ledger"
    verbose_name = _("Ledger import")
