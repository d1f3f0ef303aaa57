import sys

from mirps_dash.cli import main

sys.exit(main())
