import sys

from casedesk.cli.main import main

sys.exit(main())
