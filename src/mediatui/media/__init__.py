"""The media themselves, without the TUI: the list's pages and marks, the local catalogue, the form's
checks and the saving of edits. No Textual.
"""
