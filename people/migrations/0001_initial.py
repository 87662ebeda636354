import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('articles', '0016_trust_fields'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='StandardsPage',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(choices=[('about', 'About us'), ('masthead', 'Masthead'), ('ethics', 'Ethics policy'), ('corrections', 'Corrections policy'), ('diversity', 'Diversity policy'), ('unnamed-sources', 'Unnamed sources'), ('verification', 'Verification and fact-checking'), ('ownership', 'Ownership and funding'), ('contact', 'Contact and feedback')], help_text='Which page this is. Each has a fixed address that search engines are told about.', max_length=20, unique=True, verbose_name='page')),
                ('title', models.CharField(help_text="The page's heading, e.g. “Ethics policy”.", max_length=120, verbose_name='title')),
                ('summary', models.CharField(blank=True, help_text="One sentence for search results and the About page's list of policies.", max_length=300, verbose_name='summary')),
                ('body', models.TextField(blank=True, help_text='Paragraphs, headings, links, emphasis and lists are kept; anything else is removed when you save.', verbose_name='text')),
                ('starting_text', models.BooleanField(default=False, editable=False, help_text="Still the text the site shipped with. Saving the page in the admin marks it as the desk's own.", verbose_name='starting text')),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='last updated')),
            ],
            options={
                'verbose_name': 'standards page',
                'ordering': ['pk'],
            },
        ),
        migrations.CreateModel(
            name='HistoricalStaffProfile',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('display_name', models.CharField(help_text='The name bylines print, in the order the person uses, e.g. “Dana Quillfeather”.', max_length=100, verbose_name='display name')),
                ('slug', models.SlugField(allow_unicode=True, help_text="The author page's address, /authors/<this>/. Filled from the display name; change it only before it is used.", max_length=100, verbose_name='address')),
                ('job_title', models.CharField(blank=True, help_text='As the masthead prints it, e.g. “North Korea correspondent”.', max_length=120, verbose_name='job title')),
                ('bio', models.TextField(blank=True, help_text='Two to four sentences in the third person: what they cover, what they did before. Plain text.', max_length=1000, verbose_name='short bio')),
                ('languages', models.CharField(blank=True, help_text='Languages they report in, separated by commas, e.g. “English, Korean”.', max_length=200, verbose_name='languages')),
                ('public_email', models.EmailField(blank=True, help_text='An address readers and sources may write to, shown on the author page. Blank shows none.', max_length=254, verbose_name='public e-mail')),
                ('links', models.TextField(blank=True, help_text='Their public profiles elsewhere, one address per line (a personal site, a social account). Search engines read them as the same person.', verbose_name='links')),
                ('is_current', models.BooleanField(default=True, help_text='Untick when they leave: their page stays, with their stories, marked as former staff, and they leave the staff list and the masthead.', verbose_name='current staff')),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('user', models.ForeignKey(blank=True, db_constraint=False, help_text='The login this profile belongs to. Readers never see the login name, only the display name.', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='account')),
            ],
            options={
                'verbose_name': 'historical staff profile',
                'verbose_name_plural': 'historical staff profiles',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='HistoricalStandardsPage',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('kind', models.CharField(choices=[('about', 'About us'), ('masthead', 'Masthead'), ('ethics', 'Ethics policy'), ('corrections', 'Corrections policy'), ('diversity', 'Diversity policy'), ('unnamed-sources', 'Unnamed sources'), ('verification', 'Verification and fact-checking'), ('ownership', 'Ownership and funding'), ('contact', 'Contact and feedback')], db_index=True, help_text='Which page this is. Each has a fixed address that search engines are told about.', max_length=20, verbose_name='page')),
                ('title', models.CharField(help_text="The page's heading, e.g. “Ethics policy”.", max_length=120, verbose_name='title')),
                ('summary', models.CharField(blank=True, help_text="One sentence for search results and the About page's list of policies.", max_length=300, verbose_name='summary')),
                ('body', models.TextField(blank=True, help_text='Paragraphs, headings, links, emphasis and lists are kept; anything else is removed when you save.', verbose_name='text')),
                ('starting_text', models.BooleanField(default=False, editable=False, help_text="Still the text the site shipped with. Saving the page in the admin marks it as the desk's own.", verbose_name='starting text')),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': 'historical standards page',
                'verbose_name_plural': 'historical standards pages',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='StaffProfile',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('display_name', models.CharField(help_text='The name bylines print, in the order the person uses, e.g. “Dana Quillfeather”.', max_length=100, verbose_name='display name')),
                ('slug', models.SlugField(allow_unicode=True, help_text="The author page's address, /authors/<this>/. Filled from the display name; change it only before it is used.", max_length=100, unique=True, verbose_name='address')),
                ('job_title', models.CharField(blank=True, help_text='As the masthead prints it, e.g. “North Korea correspondent”.', max_length=120, verbose_name='job title')),
                ('bio', models.TextField(blank=True, help_text='Two to four sentences in the third person: what they cover, what they did before. Plain text.', max_length=1000, verbose_name='short bio')),
                ('languages', models.CharField(blank=True, help_text='Languages they report in, separated by commas, e.g. “English, Korean”.', max_length=200, verbose_name='languages')),
                ('public_email', models.EmailField(blank=True, help_text='An address readers and sources may write to, shown on the author page. Blank shows none.', max_length=254, verbose_name='public e-mail')),
                ('links', models.TextField(blank=True, help_text='Their public profiles elsewhere, one address per line (a personal site, a social account). Search engines read them as the same person.', verbose_name='links')),
                ('is_current', models.BooleanField(default=True, help_text='Untick when they leave: their page stays, with their stories, marked as former staff, and they leave the staff list and the masthead.', verbose_name='current staff')),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='updated')),
                ('expertise', models.ManyToManyField(blank=True, help_text='The topics they know best, listed on their author page.', related_name='+', to='articles.topic', verbose_name='areas of expertise')),
                ('user', models.OneToOneField(help_text='The login this profile belongs to. Readers never see the login name, only the display name.', on_delete=django.db.models.deletion.CASCADE, related_name='staff_profile', to=settings.AUTH_USER_MODEL, verbose_name='account')),
            ],
            options={
                'verbose_name': 'staff profile',
                'ordering': ['display_name', 'pk'],
                'permissions': [('edit_any_profile', "Can edit every staff member's profile")],
            },
        ),
    ]
