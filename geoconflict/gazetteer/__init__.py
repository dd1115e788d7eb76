"""Offline gazetteer: place names as reporters spell them → places with geometries."""

from .core import Gazetteer
from .match import Match

__all__ = ["Gazetteer", "Match"]
