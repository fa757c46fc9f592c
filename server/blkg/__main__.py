"""`python -m blkg` runs the `blkg` command."""

import sys

from blkg.cli import main

sys.exit(main())
