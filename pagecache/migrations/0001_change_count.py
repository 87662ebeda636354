from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
    ]

    operations = [
        migrations.CreateModel(
            name='ChangeCount',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('changes', models.BigIntegerField(default=0, help_text='Changes readers may see, counted since the database was created.', verbose_name='changes')),
            ],
            options={
                'verbose_name': 'change count',
            },
        ),
    ]
