from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [("crash_project", "0001_initial")]

    operations = [
        migrations.AddField(model_name="book", name="pages", field=models.IntegerField(default=100)),
    ]
