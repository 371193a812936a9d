from config.celery_app import app


def test_celery_reads_its_settings_from_django():
    assert app.conf.timezone == "Asia/Shanghai"
    assert app.conf.task_serializer == "json"
    assert app.conf.accept_content == ["json"]
    assert "reminders.tasks.plan_daily_reminders" in app.tasks
    assert "reminders.tasks.send_digest" in app.tasks
    assert app.conf.beat_scheduler == "django_celery_beat.schedulers:DatabaseScheduler"
    assert app.conf.task_time_limit and app.conf.task_acks_late
