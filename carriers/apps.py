from django.apps import AppConfig


class CarriersConfig(AppConfig):
    name = "carriers"
    verbose_name = "服务载体"
