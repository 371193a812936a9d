"""Middleware that depends on who is asking: their language, and whether what they are
shown may be kept by the browser; and the refusal of a NUL character in an address."""

from django.conf import settings
from django.contrib.auth.middleware import get_user
from django.core.exceptions import BadRequest
from django.middleware.locale import LocaleMiddleware
from django.utils import translation
from django.utils.cache import add_never_cache_headers
from django.utils.translation import trans_real


class ChosenLanguageMiddleware(LocaleMiddleware):
    """Chinese for everyone unless they choose English.

    Django's LocaleMiddleware follows the browser's Accept-Language, so an office PC with
    an English browser would show English. Here only the user's explicit choice
    overrides LANGUAGE_CODE: a signed-in user's language (``User.language``, set by the
    language switch, so it follows them to every device), else the language cookie the
    switch also sets (the sign-in page, once signed out).

    The user is read as ``AuthenticationMiddleware`` reads it (and cached on the request
    for it), so knowing their language costs no query of its own.
    """

    def process_request(self, request):
        user = get_user(request) if hasattr(request, "session") else None
        chosen = user.language if user is not None and user.is_authenticated else None
        chosen = chosen or request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        try:
            language = trans_real.get_supported_language_variant(chosen) if chosen else None
        except LookupError:
            language = None
        translation.activate(language or settings.LANGUAGE_CODE)
        request.LANGUAGE_CODE = translation.get_language()


class NoStoreForSignedInMiddleware:
    """Nothing shown to a signed-in user, and no admin page, is kept by the browser or a
    proxy: the pages carry names, ID numbers, addresses and health of retirees, and
    office PCs are shared. ``Cache-Control: no-store`` (with Django's other never-cache
    directives) and ``Pragma: no-cache`` for HTTP/1.0 caches. Static files are public and
    keep their long cache lifetimes (WhiteNoise answers them before this runs)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        match = getattr(request, "resolver_match", None)
        signed_in = user is not None and user.is_authenticated
        admin_page = match is not None and "admin" in match.namespaces
        if (signed_in or admin_page) and not request.path_info.startswith(settings.STATIC_URL):
            add_never_cache_headers(response)
            response["Pragma"] = "no-cache"
        return response


class RefuseNulMiddleware:
    """400 Bad Request for a NUL character in the path or the query string. No one types
    one, and PostgreSQL refuses it in any string ("A string literal cannot contain NUL
    (0x00) characters"): a filter that hands it to the database, as the admin's list
    filters do, answered 500. Form data needs no such check: Django's form fields refuse
    NUL, and the project's views read the query string through ``accounts.params``."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path or any(
            "\x00" in name or any("\x00" in value for value in values)
            for name, values in request.GET.lists()
        ):
            raise BadRequest("NUL character in the address")
        return self.get_response(request)
