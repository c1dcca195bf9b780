from django.apps import AppConfig


class BenchConfig(AppConfig):
    """The benchmarks (`manage.py bench_access`, `manage.py bench_sweep`): generated data of
    realistic size in a database of their own, and the figures for people to read. Above
    every app, imported by none."""

    name = "bench"
    verbose_name = "Benchmarks"
