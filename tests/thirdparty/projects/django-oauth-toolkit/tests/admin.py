"""Admin classes the suite names in the provider's *_ADMIN_CLASS settings."""
from django.contrib import admin


class CustomApplicationAdmin(admin.ModelAdmin):
    pass


class CustomAccessTokenAdmin(admin.ModelAdmin):
    pass


class CustomGrantAdmin(admin.ModelAdmin):
    pass


class CustomIDTokenAdmin(admin.ModelAdmin):
    pass


class CustomRefreshTokenAdmin(admin.ModelAdmin):
    pass
