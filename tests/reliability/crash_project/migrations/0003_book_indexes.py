from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [("crash_project", "0002_book_pages")]

    operations = [
        migrations.AddIndex(model_name="book", index=models.Index(fields=["title"], name="crash_book_title")),
        migrations.AddConstraint(
            model_name="book",
            constraint=models.UniqueConstraint(fields=["shelf", "title"], name="crash_book_shelf_title"),
        ),
    ]
