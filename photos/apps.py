"""The photo desk: the image library, its renditions, and the images stories, analysts and staff use."""
from django.apps import AppConfig


class PhotosConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "photos"
    verbose_name = "Image library"

    def ready(self):
        from . import admin, receivers

        receivers.connect()
        # Every app's admin is registered by now (the admin app's ready() ran first).
        admin.add_portraits_to_staff_profiles()
