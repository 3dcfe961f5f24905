"""The scoring engine: social components, financial and network value, segments and runs.

Layers, each usable alone: ``config`` (what a run is told), ``components``/``financial``/
``network``/``segments``/``validity`` (pure functions over NumPy arrays), ``engine`` (one run
over arrays), ``loading`` (workspace → arrays), ``runs`` (score, persist, list, compare),
``explain`` (a member's receipt) and ``export`` (CSV for mail and shop tools).
"""
