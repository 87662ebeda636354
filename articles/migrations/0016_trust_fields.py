import importlib

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

# The search index's triggers (0006): adding a column makes SQLite rebuild articles_article, and
# the rebuild drops the old table's triggers with it.
search_fts = importlib.import_module("articles.migrations.0006_search_fts")


def restore_search_triggers(apps, schema_editor):
    """Put back the full-text index's triggers on SQLite, and reindex (a no-op where there is no index)."""
    connection = schema_editor.connection
    if connection.vendor != "sqlite" or "article_search" not in connection.introspection.table_names():
        return
    for statement in search_fts.CREATE:
        if statement.startswith("CREATE TRIGGER"):
            name = statement.split()[2]
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {name}")
            schema_editor.execute(statement)
    schema_editor.execute("INSERT INTO article_search(article_search) VALUES ('rebuild')")


def tick_state_media(apps, schema_editor):
    """State media are state-controlled: tick the box the organizations already imply."""
    Organization = apps.get_model("articles", "Organization")
    Organization.objects.using(schema_editor.connection.alias).filter(kind="state_media").update(state_controlled=True)


class Migration(migrations.Migration):

    dependencies = [
        ('articles', '0015_models_move_to_counts_and_ingest'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        # Undoing this migration rebuilds the table again: the triggers come back last.
        migrations.RunPython(migrations.RunPython.noop, restore_search_triggers),
        migrations.AddField(
            model_name='article',
            name='backstory',
            field=models.TextField(blank=True, help_text='Optional note for readers under the story: where the reporting came from, what could not be checked, why sources are unnamed. Plain text; a blank line starts a new paragraph.', verbose_name='how we reported this'),
        ),
        migrations.AddField(
            model_name='historicalarticle',
            name='backstory',
            field=models.TextField(blank=True, help_text='Optional note for readers under the story: where the reporting came from, what could not be checked, why sources are unnamed. Plain text; a blank line starts a new paragraph.', verbose_name='how we reported this'),
        ),
        migrations.AddField(
            model_name='organization',
            name='state_controlled',
            field=models.BooleanField(default=False, help_text='Tick when a government controls what this body publishes or says: it appoints the leaders, or sets the editorial line or the budget with no independent oversight (the test in the verification policy). State media always are. Not for ministries and offices: their kind says what they are. Readers see its quotes and citations labelled “state-controlled”.', verbose_name='state-controlled'),
        ),
        migrations.AlterField(
            model_name='byline',
            name='author',
            field=models.ForeignKey(help_text='A staff member. Their display name is printed (People and standards → Staff profiles); a story whose byline has someone without one cannot be published.', on_delete=django.db.models.deletion.PROTECT, related_name='bylines', to=settings.AUTH_USER_MODEL, verbose_name='author'),
        ),
        migrations.RunPython(restore_search_triggers, migrations.RunPython.noop),
        migrations.RunPython(tick_state_media, migrations.RunPython.noop),
    ]
