"""`python -m letopis` is the `letopis` command."""

import sys

from .cli import main

sys.exit(main())
