"""The test case classes the suite imports: Django's, open to every database alias."""
from django.test import TestCase, TransactionTestCase


class OAuth2ProviderTestCase(TestCase):
    databases = "__all__"


class OAuth2ProviderTransactionTestCase(TransactionTestCase):
    databases = "__all__"
