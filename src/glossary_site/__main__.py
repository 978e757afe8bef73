import sys

from .commands.entry_point import main

sys.exit(main())
