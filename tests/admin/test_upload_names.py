"""An uploaded file's name is text like any field: a NUL in it is refused at the door (400) on
both import pages, and nothing is stored."""

import io

import pytest
from sqlalchemy import func, select

from tenants.catalog.models import ImportRun
from tests.support.factories import sign_in_staff, tenant_session


@pytest.mark.parametrize(
    ("path", "fields"),
    [
        ("customers/import", {}),
        ("catalog/import", {"kind": "products", "price_list_id": ""}),
    ],
)
def test_a_nul_in_an_uploaded_file_name_is_refused_and_nothing_is_stored(
    app, client, two_bakeries, path, fields
):
    north, south = two_bakeries
    sign_in_staff(client, north)
    response = client.post(
        f"/admin/{north.slug}/{path}",
        data={**fields, "file": (io.BytesIO(b"business_name\nCafe\n"), "evil\x00.csv")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 400
    for bakery in (north, south):
        with tenant_session(app, bakery.id) as session:
            assert session.scalar(select(func.count(ImportRun.id))) == 0
