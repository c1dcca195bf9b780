from django.db import migrations


class Migration(migrations.Migration):
    """The Risk Management Plan's models (actions, their progress, level 1 reviews and home
    visits) move to the plans app. Their tables stay as they are (plans 0001 takes them
    over by name): only the project's record of which app owns them changes."""

    dependencies = [
        ('cases', '0008_alter_teammember_role'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.DeleteModel(name='ActionProgress'),
                migrations.DeleteModel(name='HomeVisit'),
                migrations.DeleteModel(name='Level1Review'),
                migrations.DeleteModel(name='PlanAction'),
            ],
        ),
    ]
