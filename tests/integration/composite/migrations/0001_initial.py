import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = []

    operations = [
        migrations.CreateModel(
            name="Tenant",
            fields=[
                ("id", models.AutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("name", models.CharField(max_length=20)),
            ],
        ),
        migrations.CreateModel(
            name="Member",
            fields=[
                ("pk", models.CompositePrimaryKey(
                    "tenant", "number", blank=True, editable=False, primary_key=True, serialize=False)),
                ("tenant", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, to="composite.tenant")),
                ("number", models.IntegerField()),
                ("name", models.CharField(max_length=20)),
            ],
        ),
        migrations.CreateModel(
            name="Post",
            fields=[
                ("id", models.AutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("author_number", models.IntegerField(null=True)),
                ("title", models.CharField(max_length=20)),
                ("tenant", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, to="composite.tenant")),
                ("author", models.ForeignObject(
                    from_fields=("tenant", "author_number"), on_delete=django.db.models.deletion.CASCADE,
                    related_name="posts", to="composite.member", to_fields=("tenant", "number"))),
            ],
        ),
    ]
