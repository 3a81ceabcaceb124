"""Inputs: the vocabularies, technology catalogs, site profiles, dependencies and the
project's assumptions, read from the user's files and validated."""
