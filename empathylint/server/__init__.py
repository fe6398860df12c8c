"""The local HTTP service: ``empathylint serve``.

`service.LintService` lints requests with one shared pipeline; `app.create_app` wraps it in FastAPI
(``POST /v1/lint``, ``GET /v1/rules``, ``GET /healthz``, ``/openapi.json``, the compose page at ``/``);
`runner` runs it under uvicorn; `cli.serve` is the command. Nothing is imported here, so that the command
line starts without loading FastAPI.
"""
