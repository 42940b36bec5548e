from tests.support.factories import sign_in_staff


def test_owner_signs_in_and_sees_home(client, two_bakeries):
    north, _ = two_bakeries
    sign_in_staff(client, north)
    response = client.get(f"/admin/{north.slug}/")
    assert response.status_code == 200
    assert b"Your plan: Professional" in response.data
