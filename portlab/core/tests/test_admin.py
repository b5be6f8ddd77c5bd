from django.test import Client

from conftest import PASSWORD


def test_admin_lists_set_up_data(staff, lead) -> None:
    staff["admin"].is_staff = staff["admin"].is_superuser = True
    staff["admin"].save()
    client = Client()
    assert client.login(username="admin", password=PASSWORD)
    for url in ["/admin/network/lab/", "/admin/network/capability/", "/admin/network/standard/",
                "/admin/network/specification/", "/admin/accounts/enterprise/",
                "/admin/accounts/user/", f"/admin/accounts/user/{staff['clerk'].pk}/change/"]:
        assert client.get(url).status_code == 200, url
    assert "GB 5009.12-2023 GFAAS" in client.get("/admin/network/capability/").content.decode()
