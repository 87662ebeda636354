from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('articles', '0014_topic_stats'),
    ]

    operations = [
        # The kept counts and the imported copy moved to their own apps (counts, ingest); their tables stay.
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveField(
                    model_name='copyimport',
                    name='article',
                ),
                migrations.RemoveField(
                    model_name='copyimport',
                    name='created_by',
                ),
                migrations.RemoveField(
                    model_name='topicstats',
                    name='topic',
                ),
                migrations.DeleteModel(
                    name='AnalystStats',
                ),
                migrations.DeleteModel(
                    name='CopyImport',
                ),
                migrations.DeleteModel(
                    name='TopicStats',
                ),
            ],
            database_operations=[],
        ),
    ]
