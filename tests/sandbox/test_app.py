"""The sandbox app: Host and prefix routing, records, pages, controls, served mode."""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Iterator

import httpx
import pytest
import uvicorn
from authlib.oauth1 import ClientAuth

from crosspost.sandbox import Sandbox, SandboxAccounts, create_sandbox

from .conftest import image_bytes

A = SandboxAccounts()
X_TOKEN = {"Authorization": f"Bearer {A.x_oauth2_access_token}"}
LI_HEADERS = {
    "Authorization": f"Bearer {A.linkedin_token}",
    "LinkedIn-Version": "202605",
    "X-Restli-Protocol-Version": "2.0.0",
}
TEXT = "Smoking cessation and slower disability progression in MS."
ROOT = "http://sandbox.test"


@pytest.mark.anyio
async def test_prefix_routing_works_in_process(
    client: httpx.AsyncClient, sandbox: Sandbox
) -> None:
    """Other hosts route by /x, /facebook, /linkedin; permalinks stay in the sandbox."""
    response = await client.post(
        f"{ROOT}/x/2/tweets", json={"text": TEXT}, headers=X_TOKEN
    )
    assert response.status_code == 201
    url = sandbox.posts[0].url
    assert url.startswith(f"{ROOT}/_sandbox/posts/x/")
    page = await client.get(url)
    assert TEXT in page.text


@pytest.mark.anyio
async def test_linkedin_upload_url_follows_the_base(client: httpx.AsyncClient) -> None:
    """In prefix mode the uploadUrl is under /linkedin on the same origin, and works."""
    init = await client.post(
        f"{ROOT}/linkedin/rest/images?action=initializeUpload",
        json={
            "initializeUploadRequest": {
                "owner": f"urn:li:person:{A.linkedin_person_id}"
            }
        },
        headers=LI_HEADERS,
    )
    upload_url = init.json()["value"]["uploadUrl"]
    assert upload_url.startswith(f"{ROOT}/linkedin/dms-uploads/")
    bearer = {"Authorization": LI_HEADERS["Authorization"]}
    put = await client.put(upload_url, content=image_bytes(), headers=bearer)
    assert put.status_code == 201


@pytest.mark.anyio
async def test_public_urls_of_real_hosts_open_the_post(
    client: httpx.AsyncClient, sandbox: Sandbox
) -> None:
    """x.com and linkedin.com post URLs resolve to the sandbox's page for the post."""
    await client.post(
        "https://api.x.com/2/tweets", json={"text": TEXT}, headers=X_TOKEN
    )
    linkedin = {
        "author": f"urn:li:organization:{A.linkedin_organization_id}",
        "commentary": "Smoking cessation helps.",
        "visibility": "PUBLIC",
        "distribution": {"feedDistribution": "MAIN_FEED"},
        "lifecycleState": "PUBLISHED",
    }
    await client.post(
        "https://api.linkedin.com/rest/posts", json=linkedin, headers=LI_HEADERS
    )
    for post in sandbox.posts:
        assert (await client.get(post.url)).status_code == 200
    missing = await client.get(f"https://x.com/{A.x_username}/status/1")
    assert missing.status_code == 404


@pytest.mark.anyio
async def test_records_pages_and_reset(
    client: httpx.AsyncClient, sandbox: Sandbox
) -> None:
    """GET /_sandbox/posts lists records; pages escape what they show; reset empties."""
    hostile = "<script>alert(1)</script> relapse data"
    await client.post(
        "https://api.x.com/2/tweets", json={"text": hostile}, headers=X_TOKEN
    )
    records = (await client.get(f"{ROOT}/_sandbox/posts")).json()
    assert records[0]["platform"] == "x"
    assert records[0]["text"] == hostile
    page = (await client.get(f"{ROOT}/_sandbox/x")).text
    assert "&lt;script&gt;" in page
    assert "<script>" not in page
    index = (await client.get(f"{ROOT}/")).text
    assert "/_sandbox/linkedin" in index
    assert (await client.post(f"{ROOT}/_sandbox/reset")).json() == {"reset": True}
    assert sandbox.posts == []


@pytest.mark.anyio
async def test_faults_can_be_set_over_http(
    client: httpx.AsyncClient, sandbox: Sandbox
) -> None:
    """POST /_sandbox/faults adds faults; bad ones are refused; DELETE clears."""
    fault = {"platform": "x", "kind": "server_error", "times": 1}
    added = await client.post(f"{ROOT}/_sandbox/faults", json={"faults": [fault]})
    assert added.json()["faults"][0]["kind"] == "server_error"
    response = await client.post(
        f"{ROOT}/x/2/tweets", json={"text": TEXT}, headers=X_TOKEN
    )
    assert response.status_code == 503
    bad = await client.post(
        f"{ROOT}/_sandbox/faults", json={"platform": "x", "kind": "gremlin"}
    )
    assert bad.status_code == 400
    assert "gremlin" in bad.json()["error"]
    await client.delete(f"{ROOT}/_sandbox/faults")
    assert sandbox.config.faults == []


@pytest.mark.anyio
async def test_notification_receiver_records_and_shows(
    client: httpx.AsyncClient, sandbox: Sandbox
) -> None:
    """POST /_sandbox/notify (Apprise's json:// body) is recorded, listed and shown."""
    note = {"version": "1.0", "title": "Due", "message": TEXT, "type": "info"}
    response = await client.post(f"{ROOT}/_sandbox/notify/tok", json=note)
    assert response.status_code == 200
    assert [n["message"] for n in sandbox.notifications] == [TEXT]
    listed = (await client.get(f"{ROOT}/_sandbox/notify")).json()
    assert listed == sandbox.notifications
    assert TEXT in (await client.get(f"{ROOT}/_sandbox/notifications")).text


@pytest.fixture
def served() -> Iterator[tuple[str, Sandbox]]:
    """The sandbox served by uvicorn on 127.0.0.1, a free port; stopped afterwards."""
    sandbox = create_sandbox()
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    port = listener.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(sandbox.app, log_level="critical"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [listener]})
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.01)
    try:
        yield f"http://127.0.0.1:{port}", sandbox
    finally:
        server.should_exit = True
        thread.join(10)
        listener.close()


def test_served_sandbox_accepts_a_signed_post_and_breaks_on_reset(
    served: tuple[str, Sandbox],
) -> None:
    """Over loopback: an OAuth 1.0a post under /x, the records, then a real reset."""
    url, sandbox = served
    sign = ClientAuth(
        A.x_consumer_key,
        A.x_consumer_secret,
        token=A.x_access_token,
        token_secret=A.x_access_token_secret,
    )
    body = json.dumps({"text": TEXT}).encode()
    headers = {"Content-Type": "application/json"}
    _, headers, _ = sign.prepare("POST", f"{url}/x/2/tweets", headers, body)
    with httpx.Client(timeout=5) as http:
        response = http.post(f"{url}/x/2/tweets", content=body, headers=headers)
        assert response.status_code == 201
        assert http.get(f"{url}/_sandbox/posts").json()[0]["text"] == TEXT
        fault = {"platform": "facebook", "kind": "reset_after"}
        http.post(f"{url}/_sandbox/faults", json=fault)
        form = {"message": TEXT, "access_token": A.facebook_page_token}
        with pytest.raises(httpx.RemoteProtocolError):
            http.post(f"{url}/facebook/v25.0/{A.facebook_page_id}/feed", data=form)
    assert [p.platform for p in sandbox.posts] == ["x", "facebook"]
    assert sandbox.posts[1].url.startswith(f"{url}/_sandbox/posts/facebook/")
