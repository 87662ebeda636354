import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('articles', '0015_models_move_to_counts_and_ingest'),
    ]

    operations = [
        # The tables were created by the editorial app (articles 0013, 0014) and keep their names.
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='AnalystCounts',
                    fields=[
                        ('version', models.BigIntegerField(help_text='Replaced by every write that makes the counts stale; counts are kept only under the version they started from.', verbose_name='version')),
                        ('current', models.BooleanField(default=False, help_text='False from a write until the counts are taken again.', verbose_name='current')),
                        ('valid_until', models.DateTimeField(help_text='When a scheduled story goes live and the counts change; empty: none scheduled.', null=True, verbose_name='valid until')),
                        ('computed_at', models.DateTimeField(null=True, verbose_name='counted at')),
                        ('analyst', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, primary_key=True, related_name='counts', serialize=False, to='articles.analyst')),
                        ('story_count', models.PositiveIntegerField(default=0, help_text="Counted up to one past the page's cap.", verbose_name='published stories quoting')),
                        ('first_quoted', models.DateTimeField(null=True, verbose_name='first quoted')),
                        ('last_quoted', models.DateTimeField(null=True, verbose_name='last quoted')),
                        ('topic_counts', models.JSONField(default=list, help_text="[topic id, stories] pairs over the analyst's latest stories, most first.", verbose_name='topics of the latest stories')),
                    ],
                    options={
                        'verbose_name': "analyst's counts",
                        'verbose_name_plural': "analysts' counts",
                        'db_table': 'articles_analyststats',
                    },
                ),
                migrations.CreateModel(
                    name='TopicCounts',
                    fields=[
                        ('version', models.BigIntegerField(help_text='Replaced by every write that makes the counts stale; counts are kept only under the version they started from.', verbose_name='version')),
                        ('current', models.BooleanField(default=False, help_text='False from a write until the counts are taken again.', verbose_name='current')),
                        ('valid_until', models.DateTimeField(help_text='When a scheduled story goes live and the counts change; empty: none scheduled.', null=True, verbose_name='valid until')),
                        ('computed_at', models.DateTimeField(null=True, verbose_name='counted at')),
                        ('topic', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, primary_key=True, related_name='counts', serialize=False, to='articles.topic')),
                        ('story_count', models.PositiveIntegerField(default=0, help_text="Counted up to one past the page's cap.", verbose_name='published stories')),
                    ],
                    options={
                        'verbose_name': "topic's count",
                        'verbose_name_plural': "topics' counts",
                        'db_table': 'articles_topicstats',
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
