"""Reception by scanner: a scanned label receives its sample; an application's samples are
received at once; unknown codes, other labs' samples and samples already received are refused
with the reason, and nothing else changes."""

from django.test import Client

from conftest import PASSWORD, make_user
from portlab.accounts.models import Role
from portlab.intake.models import Sample, Status
from portlab.intake.services import SampleInput, application_register
from portlab.testing.models import Test


def clerk_client(staff, language: str = "en") -> Client:
    client = Client(headers={"accept-language": language})
    assert client.login(username=staff["clerk"].username, password=PASSWORD)
    return client


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def test_a_scanned_label_receives_its_sample(staff, application) -> None:
    sample = application.samples.get()
    response = clerk_client(staff).post("/intake/reception/scan/", {"scan": sample.number},
                                        follow=True)
    sample.refresh_from_db()
    assert sample.status == Status.RECEIVED and sample.barcode == sample.number
    assert Test.objects.filter(sample=sample).count() == 1
    assert messages_of(response) == [f"Sample {sample.number} received; its tests are created."]
    assert 'id="scan" name="scan" autofocus' in response.content.decode()


def test_a_lower_case_code_with_spaces_is_the_same_label(staff, application) -> None:
    sample = application.samples.get()
    clerk_client(staff).post("/intake/reception/scan/", {"scan": f"  {sample.number.lower()} "})
    sample.refresh_from_db()
    assert sample.status == Status.RECEIVED


def test_an_unknown_code_is_named_in_the_users_language(staff, application) -> None:
    response = clerk_client(staff, "zh-hans").post("/intake/reception/scan/",
                                                   {"scan": "S2099999999"}, follow=True)
    assert messages_of(response) == ["没有属于您的样品带有标签“S2099999999”。"]
    assert application.samples.get().status == Status.SUBMITTED


def test_a_sample_scanned_twice_says_it_was_already_received(staff, application) -> None:
    sample = application.samples.get()
    client = clerk_client(staff)
    client.post("/intake/reception/scan/", {"scan": sample.number}, follow=True)
    response = client.post("/intake/reception/scan/", {"scan": sample.number}, follow=True)
    assert messages_of(response) == [
        f"Sample {sample.number} was already received (Received)."]
    assert Test.objects.filter(sample=sample).count() == 1


def test_another_labs_sample_is_not_found(staff, application, other_lab) -> None:
    other_clerk = make_user("otherclerk", Role.RECEPTION_CLERK, other_lab)
    client = Client(headers={"accept-language": "en"})
    assert client.login(username=other_clerk.username, password=PASSWORD)
    sample = application.samples.get()
    response = client.post("/intake/reception/scan/", {"scan": sample.number}, follow=True)
    assert messages_of(response) == [f"No sample of yours has the label “{sample.number}”."]
    assert Sample.objects.get(pk=sample.pk).status == Status.SUBMITTED


def test_receive_all_receives_every_waiting_sample(staff, lab, lead, rice, enterprise) -> None:
    application = application_register(
        actor=staff["customer"], enterprise=enterprise, lab=lab,
        goods_description="泰国茉莉香米", hs_code="1006302000", purpose="import",
        test_item_ids=[lead.id], product_category=rice,
        samples=[SampleInput(description=f"大米 {n} kg") for n in range(1, 4)])
    client = clerk_client(staff)
    page = client.get("/intake/reception/").content.decode()
    assert "Receive all 3 samples" in page
    response = client.post(f"/intake/applications/{application.number}/receive-all/",
                           follow=True)
    assert messages_of(response) == [f"3 sample(s) of {application.number} received."]
    assert set(application.samples.values_list("status", flat=True)) == {Status.RECEIVED}


def test_reception_search_finds_by_enterprise_and_hs_code(staff, application) -> None:
    client = clerk_client(staff)
    number = application.samples.get().number
    assert number in client.get("/intake/reception/", {"q": "华为"}).content.decode()
    assert number in client.get("/intake/reception/", {"q": "100630"}).content.decode()
    assert number not in client.get("/intake/reception/", {"q": "奶粉"}).content.decode()
