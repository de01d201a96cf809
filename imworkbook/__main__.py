import sys

from imworkbook.cli import main

sys.exit(main())
