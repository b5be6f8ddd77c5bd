from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from conftest import PASSWORD, run_queued_jobs
from portlab.network import catalog_rows
from portlab.network.models import Capability


def login(user, language: str = "en") -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    assert client.login(username=user.username, password=PASSWORD)
    return client


def test_capability_search_in_chinese_and_english(staff, lead) -> None:
    client = login(staff["analyst"])
    assert "GB 5009.12-2023 GFAAS" in client.get("/network/capabilities/?q=铅").content.decode()
    assert "GB 5009.12-2023 GFAAS" in client.get("/network/capabilities/?q=lead").content.decode()
    assert "No capabilities match." in client.get("/network/capabilities/?q=汞").content.decode()


def import_in_background(client, upload) -> str:
    """Post the file, let the worker run the job, and return the job's page."""
    job_page = client.post("/network/capabilities/import/", {"file": upload})
    assert job_page.status_code == 302 and job_page["Location"].startswith("/jobs/")
    run_queued_jobs()
    return client.get(job_page["Location"]).content.decode()


def test_import_job_lists_row_errors_in_chinese(staff, lab, file_store) -> None:
    header = ",".join(catalog_rows.COLUMNS)
    good = "TJ-TC,CD,镉,Cadmium,GB 5009.15-2023,M-CD,,GFAAS,no,0.001,0.003,mg/kg,120,5,40"
    bad = "TJ-TC,PB,铅,Lead,GB 5009.12-2023,M-PB,,GFAAS,no,0.001,0.003,mg/kg,abc,5,40"
    upload = SimpleUploadedFile("cat.csv", f"{header}\n{good}\n{bad}\n".encode())
    html = import_in_background(login(staff["admin"], "zh-hans"), upload)
    assert "未导入任何数据：共1处问题，第一处在第3行（price）：“abc”不是数字" in html
    assert "<td>3</td><td>price: “abc”不是数字</td>" in html
    assert '<span id="job_counts">2 / 2</span>' in html  # both rows checked
    assert Capability.objects.count() == 0


def test_import_job_imports_the_file(staff, lab, file_store) -> None:
    header = ",".join(catalog_rows.COLUMNS)
    good = "TJ-TC,CD,镉,Cadmium,GB 5009.15-2023,M-CD,,GFAAS,no,0.001,0.003,mg/kg,120,5,40"
    upload = SimpleUploadedFile("cat.csv", f"{header}\n{good}\n".encode())
    html = import_in_background(login(staff["admin"]), upload)
    assert '<span class="badge succeeded" id="job_state">Done</span>' in html
    assert '<span id="job_counts">1 / 1</span>' in html
    assert '<span class="muted" id="job_message">1 row imported</span>' in html
    assert Capability.objects.filter(test_item__code="CD").count() == 1


def test_export_downloads(staff, lead) -> None:
    response = login(staff["analyst"]).get("/network/capabilities/export.xlsx")
    assert response["Content-Disposition"] == 'attachment; filename="capabilities.xlsx"'
    assert response.content[:2] == b"PK"


def test_home_switches_language(db) -> None:
    client = Client()
    assert "检验检测实验室网络" in client.get("/").content.decode()
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert "Inspection laboratory network" in client.get("/").content.decode()
