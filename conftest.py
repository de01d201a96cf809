"""Test set-up shared by the unit tests and nbval's notebook runs.

The notebooks' kernels inherit this process's environment, so pointing
IMWORKBOOK_HOME at a fresh temporary folder here keeps every test run, and
every notebook run, away from the user's own werkmap.
"""

import os
import tempfile

_HOME = tempfile.mkdtemp(prefix="imworkbook-test-home-")
os.environ["IMWORKBOOK_HOME"] = _HOME
os.environ.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")
