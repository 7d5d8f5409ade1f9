"""mediatui: manage the media of a SelfCommunity community from a terminal."""

import logging

__version__ = "0.1.0"

# Library practice: without --log, records go nowhere (not to stderr through logging's last resort).
logging.getLogger("mediatui").addHandler(logging.NullHandler())
