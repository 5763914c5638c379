"""Client mistakes that surface as Python errors deep down are still the client's."""

from django.http import HttpResponseBadRequest


class OutOfRangeMiddleware:
    """A page id like /ideas/99999999999999999999/ overflows the database's
    integers; answer 400 instead of a server error."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, OverflowError):
            return HttpResponseBadRequest("A number in the address is out of range.")
        return None
