"""HTML pages showing what each fake platform received (Jinja2, autoescaped)."""

from __future__ import annotations

import json
from typing import Any

from jinja2 import DictLoader, Environment

from crosspost.sandbox.state import PostRecord

PLATFORM_TITLES = {
    "x": "X",
    "facebook": "Facebook Page",
    "instagram": "Instagram",
    "linkedin": "LinkedIn",
}
NOTIFICATIONS_TITLE = "Notifications (Apprise)"

_LAYOUT = """<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<title>{{ title }} · crosspost sandbox</title>
<style>body{font:15px/1.5 system-ui,sans-serif;max-width:46rem;margin:2rem auto;
padding:0 1rem}
article{border:1px solid #ccd;border-radius:8px;padding:.8rem 1rem;margin:1rem 0}
pre{white-space:pre-wrap;background:#f4f5f8;padding:.5rem}small{color:#556}</style></head>
<body><p><a href="{{ root }}/">crosspost sandbox</a></p><h1>{{ title }}</h1>
{% block body %}{% endblock %}</body></html>"""

_INDEX = """{% extends "layout" %}{% block body %}
<p>Fake platform APIs. Nothing here reaches a real platform.</p><ul>
{% for name, label in platforms %}
<li><a href="{{ root }}/_sandbox/{{ name }}">{{ label }}</a>
({{ counts[name] }})</li>{% endfor %}
<li><a href="{{ root }}/_sandbox/notifications">{{ notifications_title }}</a>
({{ notifications }})</li></ul>
<p><a href="{{ root }}/_sandbox/posts">posts as JSON</a></p>{% endblock %}"""

_POSTS = """{% extends "layout" %}{% block body %}
{% for post in posts %}<article><small>{{ post.id }} · {{ post.created_at }}</small>
<pre>{{ post.text }}</pre><p><a href="{{ post.url }}">{{ post.url }}</a></p>
<details><summary>request fields</summary><pre>{{ post.fields_json }}</pre></details>
</article>
{% else %}<p>Nothing received yet.</p>{% endfor %}{% endblock %}"""

_NOTIFICATIONS = """{% extends "layout" %}{% block body %}
<p>What Apprise's json:// and form:// plugins delivered to {{ root }}/_sandbox/notify.
</p>
{% for note in notifications %}<article>
<small>{{ note.type }} · via {{ note.via }} · {{ note.received_at }}</small>
<h2>{{ note.title }}</h2><pre>{{ note.message }}</pre>
{% for file in note.attachments %}<p>attached: {{ file.filename }}
({{ file.mimetype }}, {{ file.size }} bytes)</p>{% endfor %}</article>
{% else %}<p>No notification received yet.</p>{% endfor %}{% endblock %}"""

_ENV = Environment(
    loader=DictLoader(
        {
            "layout": _LAYOUT,
            "index": _INDEX,
            "posts": _POSTS,
            "notifications": _NOTIFICATIONS,
        }
    ),
    autoescape=True,
)


def index_page(
    posts: list[PostRecord], notifications: list[dict[str, Any]], root: str = ""
) -> str:
    counts = {
        name: sum(1 for p in posts if p.platform == name) for name in PLATFORM_TITLES
    }
    return _ENV.get_template("index").render(
        title="crosspost sandbox",
        platforms=PLATFORM_TITLES.items(),
        counts=counts,
        notifications_title=NOTIFICATIONS_TITLE,
        notifications=len(notifications),
        root=root,
    )


def posts_page(title: str, posts: list[PostRecord], root: str = "") -> str:
    shown = [_shown(p) for p in reversed(posts)]
    return _ENV.get_template("posts").render(title=title, posts=shown, root=root)


def notifications_page(notifications: list[dict[str, Any]], root: str = "") -> str:
    return _ENV.get_template("notifications").render(
        title=NOTIFICATIONS_TITLE,
        notifications=list(reversed(notifications)),
        root=root,
    )


def _shown(post: PostRecord) -> dict[str, Any]:
    data = post.to_json()
    data["fields_json"] = json.dumps(
        post.fields, indent=2, ensure_ascii=False, default=str
    )
    return data
