"""The agreed risk narrative in its three answers (who is at risk, the nature of the harm,
how imminent), as the case's RoSH record holds them; an invitation keeps the telephone
number the referral gave for its named contact, and when its invitee was last reminded."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("meetings", "0004_text_limits_and_names"),
    ]

    operations = [
        migrations.RenameField(model_name="minutes", old_name="risk_summary",
                               new_name="who_is_at_risk"),
        migrations.AlterField(
            model_name="minutes", name="who_is_at_risk",
            field=models.TextField(blank=True, max_length=10000, verbose_name="who is at risk"),
        ),
        migrations.AddField(
            model_name="minutes", name="nature_of_risk",
            field=models.TextField(blank=True, max_length=10000,
                                   verbose_name="the nature of the harm"),
        ),
        migrations.AddField(
            model_name="minutes", name="imminence",
            field=models.TextField(blank=True, max_length=10000, verbose_name="how imminent"),
        ),
        migrations.AddField(
            model_name="invitation", name="telephone",
            field=models.CharField(blank=True, max_length=40),
        ),
        migrations.AddField(
            model_name="invitation", name="reminded_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
    ]
