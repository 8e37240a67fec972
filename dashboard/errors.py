"""The one exception type users see: a problem with their data or request, worded for them."""


class DataError(Exception):
    """A problem with the user's data or request, worded for the user; never a bug."""
