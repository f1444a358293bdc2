from django.apps import AppConfig


class MinutesConfig(AppConfig):
    name = "minutes"
    verbose_name = "Referater"
    default_auto_field = "django.db.models.BigAutoField"
