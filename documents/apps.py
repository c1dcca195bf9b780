from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "documents"
    label = "documents"
    verbose_name = "Documents"

    def ready(self):
        # The case page's Documents section (cases/sections.py).
        from cases.sections import CaseSection, register

        register(CaseSection("documents", "Documents", "documents:case", order=70))
