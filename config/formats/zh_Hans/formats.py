"""Dates in Chinese as the bureaus write them; the rest comes from Django's zh_Hans."""

# "6月15日", not Django's zero-padded "06月15日".
MONTH_DAY_FORMAT = "n月j日"
# A month on its own: the labels of the dashboard's visits chart.
MONTH_ONLY_FORMAT = "n月"
