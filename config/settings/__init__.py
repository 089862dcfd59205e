"""Settings: `base` holds everything, driven by the environment; the others adjust it."""
