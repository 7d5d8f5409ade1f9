"""Every trick that makes the start or the keys faster (page one from a forked child, garbage
collection out of the way of keys). No Textual.
"""
