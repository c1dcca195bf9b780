from django.db import migrations


def forwards(apps, schema_editor):
    """The case's own disclosure permission, held like the victim permission: on the case,
    in its direct permission table."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    db = schema_editor.connection.alias
    nominal, _ = ContentType.objects.using(db).get_or_create(app_label="cases",
                                                             model="nominal")
    Permission.objects.using(db).get_or_create(
        content_type=nominal, codename="view_disclosures",
        defaults={"name": "Can see the third-party disclosures of this case"})


def backwards(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    Permission.objects.using(schema_editor.connection.alias).filter(
        content_type__app_label="cases", codename="view_disclosures").delete()


class Migration(migrations.Migration):

    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("disclosure", "0001_decisions_and_disclosures"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
