def database_summary() -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    settings_dict = connection.settings_dict
    where = settings_dict.get("HOST") or settings_dict.get("NAME")
    return f"{connection.vendor} {connection.Database.__name__} at {where}"
