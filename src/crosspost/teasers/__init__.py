"""Compose: per-platform teasers rendered from templates, fitted and counted by each
platform's rule."""

from crosspost.teasers.model import PLATFORMS, VARIANTS, Card, Teaser, TeaserPart

__all__ = ["PLATFORMS", "VARIANTS", "Card", "Teaser", "TeaserPart"]
