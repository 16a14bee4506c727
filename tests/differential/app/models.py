"""Models of the differential test: a three-level ForeignKey chain and a ManyToMany."""
from django.db import models


class Parent(models.Model):
    """The top of the chain; every column type the generator filters on."""
    name = models.CharField(max_length=40)
    code = models.CharField(max_length=40, null=True)
    num = models.IntegerField()
    opt = models.IntegerField(null=True)
    ratio = models.FloatField(null=True)
    price = models.DecimalField(max_digits=8, decimal_places=2, null=True)
    flag = models.BooleanField()
    day = models.DateField(null=True)
    moment = models.DateTimeField(null=True)


class Tag(models.Model):
    """The other side of Child.tags."""
    name = models.CharField(max_length=40)
    weight = models.IntegerField(null=True)


class Child(models.Model):
    """A child of a Parent (never null), optionally pointing at a second Parent."""
    parent = models.ForeignKey(Parent, models.CASCADE, related_name="children")
    buddy = models.ForeignKey(Parent, models.SET_NULL, null=True, related_name="buddies")
    label = models.CharField(max_length=40)
    note = models.CharField(max_length=40, null=True)
    score = models.IntegerField()
    bonus = models.IntegerField(null=True)
    weight = models.FloatField()
    amount = models.DecimalField(max_digits=8, decimal_places=2, null=True)
    active = models.BooleanField()
    day = models.DateField()
    moment = models.DateTimeField(null=True)
    tags = models.ManyToManyField(Tag, related_name="children")


class GrandChild(models.Model):
    """The bottom of the chain: its Child is nullable."""
    child = models.ForeignKey(Child, models.CASCADE, null=True, related_name="grandchildren")
    title = models.CharField(max_length=40)
    qty = models.IntegerField()
    extra = models.IntegerField(null=True)
    cost = models.DecimalField(max_digits=8, decimal_places=2)
    seen = models.DateField(null=True)
