"""Dates in English; the rest comes from Django's en."""

# "June 15".
MONTH_DAY_FORMAT = "F j"
# A month on its own: the labels of the dashboard's visits chart.
MONTH_ONLY_FORMAT = "M"
