import sys

from branchboard.cli import main

sys.exit(main())
