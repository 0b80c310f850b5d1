"""Bench-only settings: the project's settings plus a URLconf with a bare view (never used by the app).

Every other value comes from the environment exactly as in production (bench/measures.py sets it).
"""

from pdcycles.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
