"""
A few blogs, authors and entries, so that the demo's admin shows data at
once: an author's contact details are a sub-document of the author's
document (djongo's EmbeddedField), the entries' authors a many-to-many.
"""
from datetime import date

from django.db import migrations


def add_samples(apps, schema_editor):
    Blog = apps.get_model("blog", "Blog")
    Author = apps.get_model("blog", "Author")
    Entry = apps.get_model("blog", "Entry")
    if Blog.objects.exists():
        return  # a database that already holds a blog keeps its own
    beatles = Blog.objects.create(name="Beatles Blog", tagline="All the latest Beatles news.")
    cheese = Blog.objects.create(name="Cheese Blog", tagline="Cheddar talk.")
    paul = Author.objects.create(name="Paul", email="paul@example.com",
                                 contact={"city": "Liverpool", "phone": "+44 151 000 0000"})
    ringo = Author.objects.create(name="Ringo", email="ringo@example.com", contact={"city": "London", "phone": ""})
    for blog, headline, published, authors, rating in [
        (beatles, "All you need is love", date(2024, 6, 25), [paul, ringo], 5),
        (beatles, "Abbey Road, fifty years on", date(2019, 9, 26), [paul], 4),
        (cheese, "Cheddar Talk", date(2024, 1, 15), [ringo], 3),
    ]:
        entry = Entry.objects.create(
            blog=blog, headline=headline, body_text=f"{headline}: the demo's sample entry.",
            pub_date=published, rating=rating,
        )
        entry.authors.set(authors)


class Migration(migrations.Migration):

    dependencies = [("blog", "0002_author_contact")]

    operations = [migrations.RunPython(add_samples, migrations.RunPython.noop)]
