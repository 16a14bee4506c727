"""Models keyed by a CompositePrimaryKey (Django 5.2), and a multi-column ForeignObject into one."""
from django.db import models


class Tenant(models.Model):
    name = models.CharField(max_length=20)


class Member(models.Model):
    """A member is numbered within its tenant: the key is (tenant, number)."""
    pk = models.CompositePrimaryKey("tenant", "number")
    tenant = models.ForeignKey(Tenant, models.CASCADE)
    number = models.IntegerField()
    name = models.CharField(max_length=20)

    def __str__(self):
        return self.name


class Post(models.Model):
    """A post of a member, joined to it on two columns."""
    tenant = models.ForeignKey(Tenant, models.CASCADE)
    author_number = models.IntegerField(null=True)
    author = models.ForeignObject(
        Member, models.CASCADE, from_fields=("tenant", "author_number"), to_fields=("tenant", "number"),
        related_name="posts",
    )
    title = models.CharField(max_length=20)
