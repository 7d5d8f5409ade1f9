"""`make screenshots`: every scene drawn into screenshots/ (run with tests/ on the path)."""

import asyncio
import sys
from pathlib import Path

from scenes import main

asyncio.run(main(Path(sys.argv[1] if len(sys.argv) > 1 else "screenshots")))
