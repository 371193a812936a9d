"""Laptop and demo settings: debug on, everything embedded."""

from .base import *  # noqa: F403
from .base import env

DEBUG = env.bool("DEBUG", default=True)
