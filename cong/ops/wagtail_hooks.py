from wagtail import hooks

from .metrics import task_queue_metrics

hooks.register("cong_metrics", task_queue_metrics)
