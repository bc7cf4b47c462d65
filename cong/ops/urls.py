from django.urls import path

from . import health, metrics

urlpatterns = [
    path("-/health", health.health, name="ops_health"),
    path("-/ready", health.ready, name="ops_ready"),
    path("-/metrics", metrics.metrics_view, name="ops_metrics"),
]
