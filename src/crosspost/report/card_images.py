"""Cards on a page of many posts: each distinct card once, reduced, in the page's style
sheet, and each post pointing at it by class. Many posts share a card (a finding's card
on four platforms), and a page of a hundred summaries with every card drawn whole
inline would weigh hundreds of megabytes."""

from __future__ import annotations

import base64
import hashlib
import io
from dataclasses import dataclass, field

from PIL import Image

from crosspost.teasers.model import Card

JPEG_QUALITY = 80


@dataclass
class CardImages:
    """Cards reduced to about `width` pixels across, by content; `rules` are the style
    rules that show them, one per card."""

    width: int
    rules: list[str] = field(default_factory=list)
    _classes: dict[str, str] = field(default_factory=dict)  # sha256 -> class

    def css_class(self, card: Card) -> str:
        """The class that shows `card` (reduced once, however many posts use it)."""
        digest = hashlib.sha256(card.data).hexdigest()
        found = self._classes.get(digest)
        if found is None:
            found = self._classes[digest] = f"card-{digest[:16]}"
            data = base64.b64encode(self._reduced(card)).decode("ascii")
            self.rules.append(
                f".{found} {{ background-image: url(data:image/jpeg;base64,{data}); }}"
            )
        return found

    def _reduced(self, card: Card) -> bytes:
        with Image.open(io.BytesIO(card.data)) as image:
            factor = max(1, round(image.width / self.width))
            if image.format == "JPEG":
                image.draft("RGB", (image.width // factor, image.height // factor))
            small = image.convert("RGB")
            if small.width > self.width * 1.5:
                small = small.reduce(max(1, round(small.width / self.width)))
            out = io.BytesIO()
            small.save(out, "JPEG", quality=JPEG_QUALITY, optimize=True)
            return out.getvalue()
