class ApplicationError(Exception):
    """A domain rule refused an operation; ``message`` is for the user.

    ``field`` names the input at fault where there is one, so forms and the
    records import can point at it.
    """

    def __init__(self, message, *, field=None, code=None):
        super().__init__(message)
        self.message = message
        self.field = field
        self.code = code

    def __str__(self):
        return str(self.message)
