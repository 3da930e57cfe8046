from django.apps import AppConfig


class EnterpriseFundConfig(AppConfig):
    name = "enterprise_fund"
    verbose_name = "Enterprise fund"
