"""Management commands of djongo; add "djongo" to INSTALLED_APPS to enable them."""
