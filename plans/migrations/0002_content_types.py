from django.db import migrations

MODELS = ["planaction", "actionprogress", "level1review", "homevisit"]


def _move(apps, schema_editor, source, target):
    """The content types of the moved models follow them, so that the permissions and any
    admin log entries that point at them keep doing so."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    db = schema_editor.connection.alias
    for model in MODELS:
        taken = ContentType.objects.using(db).filter(app_label=target, model=model).exists()
        if not taken:
            ContentType.objects.using(db).filter(app_label=source, model=model).update(
                app_label=target)


def forwards(apps, schema_editor):
    _move(apps, schema_editor, "cases", "plans")


def backwards(apps, schema_editor):
    _move(apps, schema_editor, "plans", "cases")


class Migration(migrations.Migration):

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
        ('plans', '0001_initial'),
    ]

    operations = [
        migrations.RunPython(forwards, backwards),
    ]
