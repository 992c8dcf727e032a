"""Uploaded files judged by what they are, not by their names (`content.py`), and the council's
virus scanner (`scanning.py`). Nothing of Oversight: the meeting documents and the imports each
call it with a file and its name."""
