"""The one exception type users see: a problem with their data or request, worded for them."""


class DataError(Exception):
    """A problem with the user's data or request, worded for the user; never a bug.

    Its text is English (the command line prints it). A page in another language says it from
    `code` (a locale key's last part) and `values` (what the sentence names), when the raiser gives them.
    """

    def __init__(self, message: str, code: str = "", **values):
        super().__init__(message)
        self.code, self.values = code, values
