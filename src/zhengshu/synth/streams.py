"""Independent, named random streams: each part of the city draws from its own, so adding a source or
changing one table's logic leaves every other table as it was."""

from __future__ import annotations

import hashlib

import numpy as np


class Streams:
    def __init__(self, seed: int) -> None:
        self.seed = seed

    def get(self, name: str) -> np.random.Generator:
        """The generator for `name`, the same for the same seed and name on every machine."""
        key = int.from_bytes(hashlib.sha256(name.encode()).digest()[:8], "big")
        return np.random.Generator(np.random.PCG64(np.random.SeedSequence([self.seed, key])))
