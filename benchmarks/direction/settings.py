"""Benchmark settings of issue 5: the benchmark settings plus a signed-in trivial view."""

from benchmarks.bench_settings import *  # noqa: F403

ROOT_URLCONF = "benchmarks.direction.urls"
