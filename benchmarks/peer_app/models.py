from django.db import models


class Shelf(models.Model):
    name = models.CharField(max_length=50)


class Item(models.Model):
    name = models.CharField(max_length=50)
    count = models.IntegerField()
    shelf = models.ForeignKey(Shelf, models.CASCADE)
