"""Reports filed before the duplicate search get their incident's category, place and reference."""

from django.db import migrations


def backfill(apps, schema_editor):  # type: ignore[no-untyped-def]
    Report = apps.get_model("citizens", "Report")
    for report in Report.objects.select_related("incident__category").filter(reference=""):
        incident = report.incident
        report.reference = incident.reference
        report.category_code = incident.category.code
        report.lat, report.lon = incident.lat, incident.lon
        report.save(update_fields=["reference", "category_code", "lat", "lon"])


class Migration(migrations.Migration):
    dependencies = [("citizens", "0002_report_details_photos_calls")]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
