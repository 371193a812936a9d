"""The admin app's configuration, kept apart from ``accounts.apps`` (one AppConfig per
module) and from ``accounts.admin_site`` (which imports models, not yet loadable when
``INSTALLED_APPS`` is read)."""

from django.contrib.admin.apps import AdminConfig


class YinlingAdminConfig(AdminConfig):
    """``django.contrib.admin`` with Yinling's admin site, so that every
    ``@admin.register`` lands on the site that refuses branch secretaries."""

    default_site = "accounts.admin_site.YinlingAdminSite"
