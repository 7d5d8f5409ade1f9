"""Which community and how: the settings, the config file and its profiles, the connect check, the
debug log. No Textual.
"""
