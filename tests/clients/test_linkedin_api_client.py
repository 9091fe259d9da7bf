"""linkedin-api-client (LinkedIn's official Python client) against the served
sandbox, as its documentation shows: `RestliClient` create, get, finder, delete with
a `version_string`. The client raises no exception for an HTTP error: it returns a
response whose `status_code` and body say what LinkedIn refused."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from linkedin_api.clients.restli.client import RestliClient

from crosspost.sandbox import Fault

from .conftest import ACCOUNTS, Served, route_to

VERSION = "202605"
ORG = f"urn:li:organization:{ACCOUNTS.linkedin_organization_id}"
TOKEN = ACCOUNTS.linkedin_token
COMMENTARY = "Diet and MS relapses: a cohort of 230 \\(over three years\\)."


def client(served: Served) -> RestliClient:
    restli = RestliClient()
    route_to(restli.session, "api.linkedin.com", served)
    return restli


def post(commentary: str = COMMENTARY, **extra: Any) -> dict[str, Any]:
    return {
        "author": ORG,
        "commentary": commentary,
        "visibility": "PUBLIC",
        "distribution": {
            "feedDistribution": "MAIN_FEED",
            "targetEntities": [],
            "thirdPartyDistributionChannels": [],
        },
        "lifecycleState": "PUBLISHED",
        "isReshareDisabledByAuthor": False,
        **extra,
    }


def create(served: Served, entity: dict[str, Any], version: str = VERSION) -> Any:
    return client(served).create(
        resource_path="/posts",
        entity=entity,
        access_token=TOKEN,
        version_string=version,
    )


def test_create_get_find_and_look_up(served: Served) -> None:
    """create answers 201 with the URN parsed as entity_id; get by URN, the author
    finder and the organisation lookup are parsed."""
    created = create(served, post())
    assert created.status_code == 201
    urn = created.entity_id
    assert urn.startswith("urn:li:share:")
    got = client(served).get(
        resource_path="/posts/{id}",
        path_keys={"id": urn},
        access_token=TOKEN,
        version_string=VERSION,
    )
    assert got.status_code == 200
    assert got.entity["id"] == urn
    assert (
        got.entity["commentary"]
        == "Diet and MS relapses: a cohort of 230 (over three years)."
    )
    found = client(served).finder(
        resource_path="/posts",
        finder_name="author",
        query_params={"author": ORG},
        access_token=TOKEN,
        version_string=VERSION,
    )
    assert [element["id"] for element in found.elements] == [urn]
    organization = client(served).get(
        resource_path="/organizations/{id}",
        path_keys={"id": ACCOUNTS.linkedin_organization_id},
        access_token=TOKEN,
        version_string=VERSION,
    )
    assert organization.entity["localizedName"] == ACCOUNTS.linkedin_organization_name


def test_revision_versions_are_accepted(served: Served) -> None:
    """A YYYYMM.RR version string is a valid LinkedIn-Version."""
    assert create(served, post(), "202605.01").status_code == 201


def test_misspelt_field_is_422_unrecognized(served: Served) -> None:
    """A field outside the Posts schema: 422 "unrecognized field found but not
    allowed", naming it; nothing is posted."""
    entity = post()
    entity["commentry"] = entity.pop("commentary")
    created = create(served, entity)
    assert created.status_code == 422
    message = created.response.json()["message"]
    assert "ERROR :: /commentry :: unrecognized field found but not allowed" in message
    assert "ERROR :: /commentary :: field is required" in message
    assert served.sandbox.posts == []


def test_duplicate_is_422_with_duplicate_post_code(served: Served) -> None:
    """The same commentary twice: 422, errorDetails.inputErrors[].code DUPLICATE_POST
    and the earlier URN in the message."""
    urn = create(served, post()).entity_id
    again = create(served, post())
    assert again.status_code == 422
    body = again.response.json()
    assert body["errorDetails"]["inputErrors"][0]["code"] == "DUPLICATE_POST"
    assert body["message"].endswith(f"Content is a duplicate of {urn}")


def test_deleted_post_is_404_yet_still_a_duplicate(served: Served) -> None:
    """delete answers 204; the post then 404s, and its text is still refused as a
    duplicate naming it (a ghost)."""
    urn = create(served, post()).entity_id
    deleted = client(served).delete(
        resource_path="/posts/{id}",
        path_keys={"id": urn},
        access_token=TOKEN,
        version_string=VERSION,
    )
    assert deleted.status_code == 204
    gone = client(served).get(
        resource_path="/posts/{id}",
        path_keys={"id": urn},
        access_token=TOKEN,
        version_string=VERSION,
    )
    assert gone.status_code == 404
    again = create(served, post())
    assert again.status_code == 422
    assert urn in again.response.json()["message"]


def test_version_is_sunset_mid_month_a_year_later(served: Served) -> None:
    """202609 still answers on 14 September 2027, and 426 from the 15th."""
    served.clock.fixed = datetime(2027, 9, 14, 12, tzinfo=UTC).timestamp()
    assert create(served, post(), "202609").status_code == 201
    served.clock.fixed = datetime(2027, 9, 15, 12, tzinfo=UTC).timestamp()
    refused = create(served, post("Another finding."), "202609")
    assert refused.status_code == 426
    assert refused.response.json()["code"] == "NONEXISTENT_VERSION"


def test_expired_token_is_401_65602(served: Served) -> None:
    """An expired token: 401, serviceErrorCode 65602, EXPIRED_ACCESS_TOKEN."""
    served.sandbox.config.faults.append(Fault("linkedin", "expired_token"))
    refused = create(served, post())
    assert refused.status_code == 401
    assert refused.response.json()["serviceErrorCode"] == 65602
    assert refused.response.json()["code"] == "EXPIRED_ACCESS_TOKEN"


@pytest.mark.parametrize(
    ("missing", "path"),
    [
        ("rw_organization_admin", "/organizations/{id}"),
        ("r_organization_social", "/posts/{id}"),
    ],
)
def test_each_read_needs_its_permission(
    served: Served, missing: str, path: str
) -> None:
    """Without its permission a read is 403 ACCESS_DENIED; posting still works with
    w_organization_social."""
    served.sandbox.config.linkedin_scopes -= {missing}
    urn = create(served, post()).entity_id
    key = ACCOUNTS.linkedin_organization_id if "organizations" in path else urn
    refused = client(served).get(
        resource_path=path,
        path_keys={"id": key},
        access_token=TOKEN,
        version_string=VERSION,
    )
    assert refused.status_code == 403
    assert refused.entity["code"] == "ACCESS_DENIED"
