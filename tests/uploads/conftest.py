import pytest
from django.apps import apps
from django.core.files.base import ContentFile

from stats.models import Upload
from stats.publishing import SourceDetails, check_upload, record_upload

HOME_OFFICE_SOURCE = SourceDetails(
    publisher="Home Office",
    title="Police recorded crime open data tables by police force area, test edition",
    published="2025-07",
    url="https://www.gov.uk/government/statistics/police-recorded-crime-open-data-tables",
)
NSPCC_SOURCE = SourceDetails(publisher="NSPCC", title="A test release", published="2025-11-13")


@pytest.fixture(autouse=True)
def _uploads_in_a_temporary_folder(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def table_counts() -> dict[str, int]:
    """Rows in every table of the data app except the upload history itself."""
    return {
        model.__name__: model.objects.count()
        for model in apps.get_app_config("stats").get_models()
        if model is not Upload
    }


def upload_bytes(content: bytes, name: str, file_format: str, details: SourceDetails = NSPCC_SOURCE) -> Upload:
    upload = record_upload(file=ContentFile(content, name=name), file_format=file_format, details=details)
    check_upload(upload)
    return upload
