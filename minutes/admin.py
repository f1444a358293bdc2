from django.contrib import admin

from . import models


@admin.register(models.Municipality)
class MunicipalityAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "kind"]
    search_fields = ["name"]


@admin.register(models.Committee)
class CommitteeAdmin(admin.ModelAdmin):
    list_display = ["name", "municipality"]
    list_filter = ["municipality"]


@admin.register(models.Meeting)
class MeetingAdmin(admin.ModelAdmin):
    list_display = ["committee", "date", "kind", "updated_at"]
    list_filter = ["kind", "committee__municipality"]
    date_hierarchy = "date"


@admin.register(models.SourceFile)
class SourceFileAdmin(admin.ModelAdmin):
    list_display = ["file_name", "municipality", "size", "content_type", "ingested_at"]
    exclude = ["content"]
    readonly_fields = ["sha256", "file_name", "size", "content_type", "ingested_at", "municipality"]
