"""The cadre page's section of what reached the cadre this year (阅文、通报、报刊、学习资料),
read through the cadre's reverse relation so that the cadres app imports nothing of this
one."""

from django import template
from django.utils import timezone

from distributions.selectors import cadre_deliveries

register = template.Library()


@register.inclusion_tag("distributions/_cadre_section.html")
def political_treatment_this_year(cadre):
    year = timezone.localdate().year
    return {"year": year, "deliveries": list(cadre_deliveries(cadre=cadre, year=year))}
