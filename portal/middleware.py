"""The interface language: Simplified Chinese unless the reader chose another.

Django's LocaleMiddleware would follow the browser's Accept-Language; a
Chinese government portal speaks Chinese by default, and English only after
the reader picks it with the language switch (a cookie).
"""

from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation


class ChosenLanguageMiddleware(LocaleMiddleware):
    def process_request(self, request):
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if language not in dict(settings.LANGUAGES):
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
