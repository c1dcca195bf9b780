from django.apps import AppConfig


class HomeConfig(AppConfig):
    """Each persona's home page and the navigation: they read every app, and no app
    imports them. The demo data of every app is loaded from here too."""

    name = "home"
    verbose_name = "Home"
