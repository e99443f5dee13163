"""`python -m tutor` runs the command line, as the `itm528-tutor` script does."""

import sys

from tutor.cli import main

sys.exit(main())
