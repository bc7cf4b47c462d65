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


class ApplicationErrorFormMixin:
    """For create/edit views whose save calls a service: a rule the service
    refuses (``ApplicationError``) shows on the form, at its field where it
    names one, and nothing is saved (the service's transaction rolled back)."""

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except ApplicationError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            self.produced_error_message = exc.message
            return self.form_invalid(form)
