import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('accounts', '0002_agency_spoc_sees_agency_cases'),
        ('cases', '0009_plan_moves_to_plans'),
        ('meetings', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    # The plan's tables were created by the cases app (cases 0006, 0007) and keep their
    # names (each model's db_table): only the project's record of which app owns them moves.
    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name='HomeVisit',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('visited_on', models.DateField()),
                        ('visited_by', models.CharField(max_length=300, verbose_name='who visited')),
                        ('announced', models.BooleanField(default=True)),
                        ('notes', models.TextField(blank=True)),
                        ('recorded_at', models.DateTimeField(auto_now_add=True)),
                        ('nominal', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='home_visits', to='cases.nominal')),
                        ('recorded_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'db_table': 'cases_homevisit',
                        'ordering': ['-visited_on', '-id'],
                    },
                ),
                migrations.CreateModel(
                    name='Level1Review',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('reviewed_on', models.DateField()),
                        ('new_information', models.TextField(verbose_name='new information affecting the risk assessment or the plan')),
                        ('plan_review', models.TextField(verbose_name='the plan reviewed, and what was revised')),
                        ('referral_needed', models.BooleanField(default=False, verbose_name='the case now needs a referral to level 2 or 3')),
                        ('recorded_at', models.DateTimeField(auto_now_add=True)),
                        ('nominal', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='level1_reviews', to='cases.nominal')),
                        ('recorded_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'verbose_name': 'level 1 review',
                        'db_table': 'cases_level1review',
                        'ordering': ['-reviewed_on', '-id'],
                    },
                ),
                migrations.CreateModel(
                    name='PlanAction',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('description', models.TextField(verbose_name='what will be done')),
                        ('action_type', models.CharField(choices=[('external_control', 'External control'), ('internal_control', 'Internal control'), ('victim_protection', 'Victim protection'), ('contingency', 'Contingency'), ('monitoring', 'Monitoring'), ('disclosure', 'Disclosure'), ('other', 'Other')], max_length=20, verbose_name='type')),
                        ('due_date', models.DateField(verbose_name='completion date')),
                        ('plan_reference', models.CharField(blank=True, help_text="The objective of the agency's own plan this action serves.", max_length=200, verbose_name='supervision or sentence plan')),
                        ('status', models.CharField(choices=[('open', 'Open'), ('in_progress', 'In progress'), ('done', 'Done'), ('cannot_deliver', 'Cannot be delivered')], db_index=True, default='open', max_length=16)),
                        ('completed_on', models.DateField(blank=True, null=True)),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('updated_at', models.DateTimeField(auto_now=True)),
                        ('version', models.PositiveIntegerField(default=1)),
                        ('carried_from', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='carried_to', to='plans.planaction')),
                        ('created_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('meeting', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='actions', to='meetings.meeting', verbose_name='agreed at')),
                        ('nominal', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='actions', to='cases.nominal')),
                        ('owner', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='actions', to=settings.AUTH_USER_MODEL, verbose_name='named owner')),
                        ('owner_agency', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='actions', to='accounts.agency')),
                    ],
                    options={
                        'verbose_name': 'action',
                        'db_table': 'cases_planaction',
                        'ordering': ['due_date', 'id'],
                    },
                ),
                migrations.CreateModel(
                    name='ActionProgress',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('on', models.DateField(verbose_name='date')),
                        ('note', models.TextField()),
                        ('status', models.CharField(choices=[('open', 'Open'), ('in_progress', 'In progress'), ('done', 'Done'), ('cannot_deliver', 'Cannot be delivered')], max_length=16, verbose_name='status after this')),
                        ('recorded_at', models.DateTimeField(auto_now_add=True)),
                        ('recorded_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('action', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='progress', to='plans.planaction')),
                    ],
                    options={
                        'verbose_name_plural': 'action progress',
                        'db_table': 'cases_actionprogress',
                        'ordering': ['-on', '-id'],
                    },
                ),
                migrations.AddIndex(
                    model_name='planaction',
                    index=models.Index(fields=['owner_agency', 'status', 'due_date'], name='cases_plana_owner_a_19da37_idx'),
                ),
                migrations.AddIndex(
                    model_name='planaction',
                    index=models.Index(fields=['owner', 'status', 'due_date'], name='cases_plana_owner_i_f51930_idx'),
                ),
                migrations.AddIndex(
                    model_name='planaction',
                    index=models.Index(fields=['nominal', 'status'], name='cases_plana_nominal_6f682c_idx'),
                ),
                migrations.AddConstraint(
                    model_name='planaction',
                    constraint=models.CheckConstraint(condition=models.Q(models.Q(('status', 'done'), _negated=True), ('completed_on__isnull', False), _connector='OR'), name='done_action_has_completion'),
                ),
            ],
        ),
    ]
