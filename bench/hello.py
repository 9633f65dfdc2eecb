"""A hello-world Flask app, to run under the service's own gunicorn settings as a baseline.

    SCREENING_BIND=127.0.0.1:8001 gunicorn --config python:service.gunicorn_conf bench.hello:app

``bench/screen.py`` measures it next to ``POST /v1/screen``: the gap between the two is what
screening itself costs, over what Flask, gunicorn and HTTP cost anyway.
"""

from __future__ import annotations

from flask import Flask, jsonify
from flask.typing import ResponseReturnValue

from service.config import from_env

app = Flask(__name__)
# The gunicorn config's pre_request hook reads each endpoint's body limit from the settings:
# the hello-world pays that hook too, as the service does.
app.extensions["settings"] = from_env()


@app.route("/hello", methods=["GET", "POST"])
def hello() -> ResponseReturnValue:
    return jsonify(hello="world")
