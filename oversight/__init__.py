"""Oversight: the working system of an English council's IRO and Child Protection Conference Chair service."""
