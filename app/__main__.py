"""``python -m app`` runs the same command line as ``scorecard``."""

import sys

from app.cli import main

sys.exit(main())
