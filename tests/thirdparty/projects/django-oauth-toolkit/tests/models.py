"""
The test app's models: the provider's abstract models made concrete in
another app, as a project swapping them would (test_models swaps them in
with OAUTH2_PROVIDER_*_MODEL), and token models with a primary key not
named ``id``. The one-to-one fields are redeclared with related names of
their own, which would otherwise clash with the provider's models'.
"""
import uuid

from django.db import models

from oauth2_provider.models import (
    AbstractAccessToken,
    AbstractApplication,
    AbstractDeviceGrant,
    AbstractGrant,
    AbstractRefreshToken,
)
from oauth2_provider.settings import oauth2_settings


class SampleApplication(AbstractApplication):
    custom_field = models.CharField(max_length=255, blank=True)


class SampleAccessToken(AbstractAccessToken):
    source_refresh_token = models.OneToOneField(
        oauth2_settings.REFRESH_TOKEN_MODEL, on_delete=models.SET_NULL, blank=True, null=True,
        related_name="sample_refreshed_access_token",
    )
    id_token = models.OneToOneField(
        oauth2_settings.ID_TOKEN_MODEL, on_delete=models.CASCADE, blank=True, null=True,
        related_name="sample_access_token",
    )


class SampleRefreshToken(AbstractRefreshToken):
    access_token = models.OneToOneField(
        oauth2_settings.ACCESS_TOKEN_MODEL, on_delete=models.SET_NULL, blank=True, null=True,
        related_name="sample_refresh_token",
    )


class SampleGrant(AbstractGrant):
    pass


class SampleDeviceGrant(AbstractDeviceGrant):
    pass


class CustomPkAccessToken(AbstractAccessToken):
    custom_pk = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    id = None
    source_refresh_token = models.OneToOneField(
        oauth2_settings.REFRESH_TOKEN_MODEL, on_delete=models.SET_NULL, blank=True, null=True,
        related_name="custom_pk_refreshed_access_token",
    )
    id_token = models.OneToOneField(
        oauth2_settings.ID_TOKEN_MODEL, on_delete=models.CASCADE, blank=True, null=True,
        related_name="custom_pk_access_token",
    )


class CustomPkRefreshToken(AbstractRefreshToken):
    custom_pk = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    id = None
    access_token = models.OneToOneField(
        CustomPkAccessToken, on_delete=models.SET_NULL, blank=True, null=True, related_name="refresh_token",
    )
